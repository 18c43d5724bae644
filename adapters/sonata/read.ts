import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Graph, Population, Probe, Projection, Stimulus } from '../../src/graph/types.ts';
import { validate } from '../../src/graph/validate.ts';
import { sonataName } from './write.ts';

export interface SonataEdges {
  /** Population-local source and target node ids, and the weight factors, in the file's order. */
  pre: Int32Array;
  post: Int32Array;
  weight: Float64Array;
}

export interface SonataImport {
  graph: Graph;
  seed: number;
  /** Per projection id. */
  edges: Map<string, SonataEdges>;
  /** Per population id: the drawn V_T, g_L and initial V. */
  neurons: Map<string, { vTMv: Float64Array; gLNs: Float64Array; vInitMv: Float64Array }>;
}

interface TypeRow {
  [column: string]: string;
}

function readCsv(path: string): TypeRow[] {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head!.trim().split(/\s+/);
  return rows.map((r) => Object.fromEntries(r.trim().split(/\s+/).map((v, i) => [cols[i]!, v])));
}

function expand(path: string, manifest: Record<string, string>): string {
  let p = path;
  for (let k = 0; k < 10 && p.includes('$'); k++) p = p.replace(/\$[A-Za-z_]+/g, (m) => manifest[m] ?? m);
  return p;
}

const toInt32 = (a: unknown, what: string): Int32Array => {
  if (a instanceof BigUint64Array || a instanceof BigInt64Array) return Int32Array.from(a, (x) => Number(x));
  if (ArrayBuffer.isView(a)) return Int32Array.from(a as unknown as ArrayLike<number>);
  throw new Error(`SONATA: ${what} is not a numeric array`);
};

const toFloat64 = (a: unknown, what: string): Float64Array => {
  if (a instanceof Float64Array) return a.slice();
  if (ArrayBuffer.isView(a) && !(a instanceof BigUint64Array || a instanceof BigInt64Array)) return Float64Array.from(a as unknown as ArrayLike<number>);
  throw new Error(`SONATA: ${what} is not a float array`);
};

function valueOf(f: InstanceType<typeof h5wasm.File>, path: string): unknown {
  const x = f.get(path);
  if (!(x instanceof h5wasm.Dataset)) throw new Error(`SONATA: ${path} is not a dataset`);
  return x.value;
}

/**
 * Read SONATA files written by writeSonata (simulation_config.json and what it names) back into
 * the graph, its seed, the drawn edge list of every projection and the drawn neuron parameters.
 */
export async function readSonata(simulationConfig: string): Promise<SonataImport> {
  const base = dirname(resolve(simulationConfig));
  const sim = JSON.parse(readFileSync(simulationConfig, 'utf8')) as {
    network: string;
    swta?: { format: string; name: string | null; seed: number; stimuli: Stimulus[]; probes: Probe[]; order: { populations: string[]; projections: string[] } };
  };
  if (!sim.swta || sim.swta.format !== 'swta-sonata/1') throw new Error(`${simulationConfig}: not written by swta export --format sonata (no "swta" section of format swta-sonata/1)`);
  const circuitPath = join(base, sim.network);
  const circuit = JSON.parse(readFileSync(circuitPath, 'utf8')) as {
    manifest: Record<string, string>;
    components: Record<string, string>;
    networks: { nodes: { nodes_file: string; node_types_file: string }[]; edges: { edges_file: string; edge_types_file: string }[] };
  };
  const manifest: Record<string, string> = {};
  for (const [k, v] of Object.entries(circuit.manifest)) manifest[k] = resolve(dirname(circuitPath), expand(v, manifest));
  const components = expand(circuit.components['point_neuron_models_dir']!, manifest);
  await h5wasm.ready;

  const populations = new Map<string, Population>();
  const neurons: SonataImport['neurons'] = new Map();
  for (const n of circuit.networks.nodes) {
    const types = new Map(readCsv(expand(n.node_types_file, manifest)).map((r) => [r['node_type_id']!, r]));
    const f = new h5wasm.File(expand(n.nodes_file, manifest), 'r');
    try {
      for (const type of types.values()) {
        if (type['model_type'] !== 'point_process') continue;
        const params = JSON.parse(readFileSync(join(components, type['dynamics_params']!), 'utf8')) as { population: Population };
        const p = params.population;
        const at = `nodes/${type['pop_name']}`;
        const ids = toInt32(valueOf(f, `${at}/node_type_id`), `${at}/node_type_id`);
        if (ids.length !== p.size) throw new Error(`SONATA: ${at} has ${ids.length} nodes, its type says ${p.size}`);
        const dyn = (name: string): Float64Array => toFloat64(valueOf(f, `${at}/0/dynamics_params/${name}`), `${at}/0/dynamics_params/${name}`);
        populations.set(p.id, p);
        neurons.set(p.id, { vTMv: dyn('vTMv'), gLNs: dyn('gLNs'), vInitMv: dyn('vInitMv') });
      }
    } finally {
      f.close();
    }
  }

  const projections = new Map<string, Projection>();
  const edges: SonataImport['edges'] = new Map();
  for (const e of circuit.networks.edges) {
    const types = readCsv(expand(e.edge_types_file, manifest));
    const f = new h5wasm.File(expand(e.edges_file, manifest), 'r');
    try {
      for (const type of types) {
        const pr = (JSON.parse(readFileSync(join(components, type['dynamics_params']!), 'utf8')) as { projection: Projection }).projection;
        const at = `edges/${sonataName(pr.id)}`;
        projections.set(pr.id, pr);
        edges.set(pr.id, {
          pre: toInt32(valueOf(f, `${at}/source_node_id`), `${at}/source_node_id`),
          post: toInt32(valueOf(f, `${at}/target_node_id`), `${at}/target_node_id`),
          weight: toFloat64(valueOf(f, `${at}/0/syn_weight`), `${at}/0/syn_weight`),
        });
      }
    } finally {
      f.close();
    }
  }

  const pick = <T>(m: Map<string, T>, ids: string[], what: string): T[] => ids.map((id) => {
    const x = m.get(id);
    if (x === undefined) throw new Error(`SONATA: ${what} '${id}' of the simulation config is not in the circuit`);
    return x;
  });
  const s = sim.swta;
  const graph: Graph = {
    ...(s.name === null ? {} : { name: s.name }),
    populations: pick(populations, s.order.populations, 'population'),
    projections: pick(projections, s.order.projections, 'projection'),
    stimuli: s.stimuli,
    probes: s.probes,
  };
  return { graph: validate(graph), seed: s.seed, edges, neurons };
}
