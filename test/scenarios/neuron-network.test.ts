import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { missingToolchain } from '../../adapters/neuron/toolchain.ts';
import { countsOnNeuron, countsOurs, runNetworkOnNeuron, type NetworkRateChange } from '../../scenarios/neuron/network.ts';
import { sessionNetwork, WM_INPUTS } from '../../scenarios/working-memory/session.ts';

/**
 * The working-memory network (sessionNetwork: coupled sWTA modules, transition and control
 * modules, inter-module links) flattened into one NEURON network (relays for the module ports)
 * beside our runtime (loop placement), seed 4: the session's cue of state A at 100 ms, 400 ms. Every population's rate within 10 % (1 Hz floor for populations near silence) on
 * 1 and 2 MPI processes, and the same spikes on 1 and 2.
 */
const missing = missingToolchain({ mpi: true });
const SEED = 4;
const DURATION_MS = 400;
const RELATIVE = 0.1;
const FLOOR_HZ = 1;

describe.skipIf(missing.length > 0)(`working-memory network on NEURON${missing.length > 0 ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  it('population rates within 10 % of ours on 1 and 2 processes; identical spikes on 1 and 2', async () => {
    const wm = sessionNetwork({});
    const cue = WM_INPUTS.cue;
    const changes: NetworkRateChange[] = wm.ids.cues[0]!.flatMap((c) => [
      { tick: 100, module: c.module, source: c.source, rateHz: cue.rateHz },
      { tick: 100 + cue.durationMs, module: c.module, source: c.source, rateHz: 0 },
    ]);
    const ours = await countsOurs(wm.network, SEED, { durationMs: DURATION_MS, rateChanges: changes, fromMs: 0, toMs: DURATION_MS });
    const dir = mkdtempSync(join(tmpdir(), 'swta-wm-neuron-'));
    const runs = [1, 2].map((processes) => runNetworkOnNeuron(wm.network, SEED, { dir, processes, durationMs: DURATION_MS, rateChanges: changes }));
    for (const [k, { run, spec }] of runs.entries()) {
      const theirs = countsOnNeuron(spec, run, 0, DURATION_MS);
      for (const p of spec.populations) {
        const toHz = (n: number): number => n / p.size / (DURATION_MS / 1000);
        const a = toHz(ours.get(p.id)!);
        const b = toHz(theirs.get(p.id)!);
        expect(Math.abs(a - b), `${p.id} on ${k + 1} processes: ${b} Hz vs ours ${a} Hz`).toBeLessThanOrEqual(Math.max(RELATIVE * a, FLOOR_HZ));
      }
    }
    // The cue ignites state A: over the 400 ms (its 300-ms cue included) its pool is far above its
    // 0.2–0.5 Hz spontaneous rate, in the up-state band, on both simulators (rates compared above).
    const poolA = runs[0]!.spec.populations.find((p) => p.id === 'wm0/wm0.pyr0')!;
    expect(ours.get(poolA.id)! / poolA.size / (DURATION_MS / 1000)).toBeGreaterThan(20);
    expect(runs[1]!.run.steps).toEqual(runs[0]!.run.steps);
    expect(runs[1]!.run.gids).toEqual(runs[0]!.run.gids);
  });
});
