import { adexRheobasePa } from '../../src/celltypes/adex.ts';
import { CELL_CLASSES, L23_CELL_TYPES } from '../../src/celltypes/l23.ts';
import type { Network } from '../../src/graph/network.ts';
import type { Graph } from '../../src/graph/types.ts';
import { swtaModule } from '../../src/motifs/swta-module.ts';
import { DEFAULT_SEED } from '../swta/common.ts';
import { WM_INPUTS, sessionNetwork } from '../working-memory/session.ts';

/** What `swta export <name>` writes: a graph (or a network of modules), its seed and a run length. */
export type ExportTarget =
  | { kind: 'graph'; description: string; graph: Graph; seed: number; durationMs: number }
  | { kind: 'network'; description: string; network: Network; seed: number; durationMs: number; rateChanges: { tick: number; module: string; source: string; rateHz: number }[] };

/** sWTA inputs of the exported module: a winner and a loser 40 % apart (scenarios/swta/common.ts REFERENCE_RATIO). */
const WINNER_HZ = 28;
const LOSER_HZ = 20;

export const EXPORT_TARGETS: Record<string, () => ExportTarget> = {
  'swta-module': () => {
    const m = swtaModule({ pools: 2, poolSize: 80 });
    for (const s of m.graph.stimuli) if (s.kind === 'poisson' && s.id === m.ids.inputs[0]) s.rateHz = WINNER_HZ;
    for (const s of m.graph.stimuli) if (s.kind === 'poisson' && s.id === m.ids.inputs[1]) s.rateHz = LOSER_HZ;
    for (const id of [...m.ids.pools, m.ids.pv, m.ids.sst, m.ids.vip, m.ids.lamp5]) m.graph.probes.push({ id, target: id, kind: 'spikes' });
    return { kind: 'graph', description: `the default sWTA module (2 pools × 80), inputs ${WINNER_HZ} / ${LOSER_HZ} Hz`, graph: m.graph, seed: DEFAULT_SEED, durationMs: 1000 };
  },
  celltypes: () => {
    const g: Graph = { name: 'celltypes', populations: [], projections: [], stimuli: [], probes: [] };
    const extra = [20, 100, 300];
    for (const cls of CELL_CLASSES) {
      const rh = adexRheobasePa(L23_CELL_TYPES[cls].params);
      g.populations.push({ id: cls, size: extra.length, cell: cls });
      extra.forEach((x, i) => g.stimuli.push({ kind: 'current', id: `${cls}+${x}pA`, target: cls, neurons: [i], segments: [{ startMs: 100, endMs: 1100, fromPa: rh + x }] }));
      g.probes.push({ id: cls, target: cls, kind: 'spikes' });
    }
    return { kind: 'graph', description: 'one neuron per class and step (rheobase + 20, + 100, + 300 pA, 1 s)', graph: g, seed: 1, durationMs: 1200 };
  },
  'working-memory': () => {
    const wm = sessionNetwork({});
    const changes = wm.ids.cues[0]!.flatMap((c) => [
      { tick: 100, module: c.module, source: c.source, rateHz: WM_INPUTS.cue.rateHz },
      { tick: 100 + WM_INPUTS.cue.durationMs, module: c.module, source: c.source, rateHz: 0 },
    ]);
    return { kind: 'network', description: 'the working-memory network (coupled modules, transitions, control), cue A at 100 ms', network: wm.network, seed: 4, durationMs: 1000, rateChanges: changes };
  },
};
