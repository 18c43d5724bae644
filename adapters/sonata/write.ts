import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Graph } from '../../src/graph/types.ts';
import { validate } from '../../src/graph/validate.ts';
import { ConductanceEngine, resolveParams } from '../conductance/engine.ts';

/**
 * SONATA files of a graph as our conductance engine draws it for a seed (SONATA 0.1, the
 * Allen/Blue Brain format: nodes and edges in HDF5, their types in space-separated CSV, a circuit
 * and a simulation config in JSON). HDF5 is written with h5wasm (the HDF5 C library compiled to
 * WebAssembly, no native build).
 *
 *   network/nodes.h5        /nodes/<population>/{node_type_id, node_group_id, node_group_index}
 *                           /nodes/<population>/0/dynamics_params/{vTMv, gLNs, vInitMv}  (drawn per neuron)
 *                           one node population per swta population ('point_process') and per
 *                           spike source ('virtual')
 *   network/edges.h5        /edges/<projection>/{source_node_id, target_node_id (attribute
 *                           node_population), edge_type_id, edge_group_id, edge_group_index}
 *                           /edges/<projection>/0/syn_weight   the synapse's weight factor
 *   network/node_types.csv  node_type_id model_type model_template dynamics_params pop_name swta_cell
 *   network/edge_types.csv  edge_type_id model_template dynamics_params delay swta_projection
 *   components/*.json       dynamics_params: a population's graph fields with its resolved AdEx
 *                           parameters; a projection's graph fields (components, STP, rule)
 *   circuit_config.json, simulation_config.json (run: dt; "swta": the graph's name, seed, stimuli
 *                           and probes, which SONATA has no place for)
 * Node ids are population-local (0 … size − 1), as in the graph.
 */
export const SONATA_MAGIC = 0x0a7a;
export const SONATA_VERSION = [0, 1] as const;

const csvCell = (x: string | number): string => {
  const s = String(x);
  if (/\s/.test(s)) throw new Error(`SONATA CSV value '${s}' contains white space`);
  return s;
};

/** SONATA names: HDF5 group names and CSV cells may not hold '/' or white space. */
export function sonataName(id: string): string {
  return id.replace(/[\s/]/g, '_');
}

export async function writeSonata(graph: Graph, dir: string, options: { seed: number; dtMs?: number }): Promise<void> {
  const dtMs = options.dtMs ?? 0.1;
  const g = validate(graph, { dtMs });
  const engine = new ConductanceEngine(g, { seed: options.seed, dtMs, kernel: 'reference' });
  await h5wasm.ready;
  for (const d of ['network', 'components']) mkdirSync(join(dir, d), { recursive: true });

  const nodeTypes: string[] = ['node_type_id model_type model_template dynamics_params pop_name swta_cell'];
  const nodes = new h5wasm.File(join(dir, 'network', 'nodes.h5'), 'w');
  rootAttributes(nodes);
  const nodesGroup = nodes.create_group('nodes');
  let typeId = 100;
  const writeNodePopulation = (name: string, size: number, modelType: string, template: string, cell: string, params: object, drawn: Record<string, Float64Array> | null): void => {
    const file = `node_${sonataName(name)}.json`;
    writeFileSync(join(dir, 'components', file), JSON.stringify(params, null, 2) + '\n');
    nodeTypes.push([typeId, modelType, template, file, sonataName(name), cell].map(csvCell).join(' '));
    const pop = nodesGroup.create_group(sonataName(name));
    pop.create_dataset({ name: 'node_id', data: BigUint64Array.from({ length: size }, (_, i) => BigInt(i)) });
    pop.create_dataset({ name: 'node_type_id', data: new Uint32Array(size).fill(typeId) });
    pop.create_dataset({ name: 'node_group_id', data: new Uint32Array(size) });
    pop.create_dataset({ name: 'node_group_index', data: Uint32Array.from({ length: size }, (_, i) => i) });
    const group = pop.create_group('0');
    if (drawn) {
      const dyn = group.create_group('dynamics_params');
      for (const [k, v] of Object.entries(drawn)) dyn.create_dataset({ name: k, data: v });
    }
    typeId++;
  };
  for (const p of g.populations) {
    const drawn = engine.drawnNeurons(p.id);
    writeNodePopulation(p.id, p.size, 'point_process', 'nrn:SwtaAdex', p.cell, { population: p, resolvedParams: resolveParams(p) }, { vTMv: drawn.vTMv, gLNs: drawn.gLNs, vInitMv: drawn.vInitMv });
  }
  for (const s of g.stimuli) {
    if (s.kind === 'current') continue;
    writeNodePopulation(s.id, s.size, 'virtual', 'NONE', s.kind, { stimulus: s.id }, null);
  }
  nodes.close();

  const edgeTypes: string[] = ['edge_type_id model_template dynamics_params delay swta_projection'];
  const edges = new h5wasm.File(join(dir, 'network', 'edges.h5'), 'w');
  rootAttributes(edges);
  const edgesGroup = edges.create_group('edges');
  g.projections.forEach((pr, k) => {
    const id = 100 + k;
    const file = `edge_${sonataName(pr.id)}.json`;
    writeFileSync(join(dir, 'components', file), JSON.stringify({ projection: pr }, null, 2) + '\n');
    edgeTypes.push([id, 'swta_synapse', file, pr.delayMs, sonataName(pr.id)].map(csvCell).join(' '));
    const csr = engine.synapses(pr.id);
    const n = csr.post.length;
    const source = new BigUint64Array(n);
    for (let i = 0; i + 1 < csr.rowStart.length; i++) for (let e = csr.rowStart[i]!; e < csr.rowStart[i + 1]!; e++) source[e] = BigInt(i);
    const pop = edgesGroup.create_group(sonataName(pr.id));
    pop.create_dataset({ name: 'source_node_id', data: source }).create_attribute('node_population', sonataName(pr.pre));
    pop.create_dataset({ name: 'target_node_id', data: BigUint64Array.from(csr.post, (x) => BigInt(x)) }).create_attribute('node_population', sonataName(pr.post));
    pop.create_dataset({ name: 'edge_type_id', data: new Uint32Array(n).fill(id) });
    pop.create_dataset({ name: 'edge_group_id', data: new Uint32Array(n) });
    pop.create_dataset({ name: 'edge_group_index', data: Uint32Array.from({ length: n }, (_, i) => i) });
    pop.create_group('0').create_dataset({ name: 'syn_weight', data: csr.weight ?? new Float64Array(n).fill(1) });
  });
  edges.close();

  writeFileSync(join(dir, 'network', 'node_types.csv'), nodeTypes.join('\n') + '\n');
  writeFileSync(join(dir, 'network', 'edge_types.csv'), edgeTypes.join('\n') + '\n');
  const circuit = {
    manifest: { $BASE_DIR: '.', $NETWORK_DIR: '$BASE_DIR/network', $COMPONENTS_DIR: '$BASE_DIR/components' },
    components: { point_neuron_models_dir: '$COMPONENTS_DIR', synaptic_models_dir: '$COMPONENTS_DIR', mechanisms_dir: '$BASE_DIR/mod' },
    networks: {
      nodes: [{ nodes_file: '$NETWORK_DIR/nodes.h5', node_types_file: '$NETWORK_DIR/node_types.csv' }],
      edges: [{ edges_file: '$NETWORK_DIR/edges.h5', edge_types_file: '$NETWORK_DIR/edge_types.csv' }],
    },
  };
  writeFileSync(join(dir, 'circuit_config.json'), JSON.stringify(circuit, null, 2) + '\n');
  const simulation = {
    manifest: { $BASE_DIR: '.', $OUTPUT_DIR: '$BASE_DIR/output' },
    network: 'circuit_config.json',
    run: { dt: dtMs, tstop: 1000, spike_threshold: 0.5 },
    target_simulator: 'NEURON',
    output: { output_dir: '$OUTPUT_DIR', spikes_file: 'spikes.h5' },
    swta: { format: 'swta-sonata/1', name: g.name ?? null, seed: options.seed, stimuli: g.stimuli, probes: g.probes, order: { populations: g.populations.map((p) => p.id), projections: g.projections.map((p) => p.id) } },
  };
  writeFileSync(join(dir, 'simulation_config.json'), JSON.stringify(simulation, null, 2) + '\n');
}

function rootAttributes(f: InstanceType<typeof h5wasm.File>): void {
  f.create_attribute('magic', new Uint32Array([SONATA_MAGIC]), [], '<I');
  f.create_attribute('version', Uint32Array.from(SONATA_VERSION), [2], '<I');
}
