import { describe, expect, it } from 'vitest';
import { NeuronEngine, setDefaultProcesses } from '../../../adapters/neuron/engine.ts';
import { missingToolchain } from '../../../adapters/neuron/toolchain.ts';
import { ModuleRunner, type ModuleRates } from '../../../scenarios/swta/module-runner.ts';

/**
 * The default sWTA module (swtaModule({ pools: 2, poolSize: 80 }), seed 3) on NEURON through the
 * Engine contract (ModuleRunner), beside our conductance engine: every population's rate within
 * 10 % (or 1 Hz for populations near silence) on 1 and on 2 MPI processes, and the same spikes on 1
 * and 2 processes. Inputs 28 / 20 Hz per fibre (a winner and a loser), 100 ms settling, 400 ms window.
 */
const missing = missingToolchain({ mpi: true });
const SEED = 3;
const CONDITION = { inputsHz: [28, 20] };
const RELATIVE = 0.1;
const FLOOR_HZ = 1;

function flat(r: ModuleRates): [string, number][] {
  return [...r.pools.map((x, k): [string, number] => [`pool${k}`, x]), ['pv', r.pv], ['sst', r.sst], ['vip', r.vip], ['lamp5', r.lamp5]];
}

describe.skipIf(missing.length > 0)(`sWTA module on NEURON${missing.length > 0 ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  it('rates within 10 % of ours on 1 and 2 processes; identical spikes on 1 and 2', () => {
    const runner = (backend: 'conductance' | 'neuron'): ModuleRunner => new ModuleRunner({ module: { pools: 2, poolSize: 80 }, seed: SEED, backend, settleMs: 100, windowMs: 400 });
    const ours = flat(runner('conductance').measure(CONDITION));
    const spikes: Float64Array[] = [];
    for (const processes of [1, 2]) {
      setDefaultProcesses(processes);
      const r = runner('neuron');
      setDefaultProcesses(1);
      const theirs = flat(r.measure(CONDITION));
      theirs.forEach(([name, hz], k) => {
        const ref = ours[k]![1];
        expect(Math.abs(hz - ref), `${name} on ${processes}: ${hz} Hz vs ours ${ref} Hz`).toBeLessThanOrEqual(Math.max(RELATIVE * ref, FLOOR_HZ));
      });
      const engine = r.engine as NeuronEngine;
      expect(engine.processes).toBe(processes);
      const { steps, gids } = engine.allSpikes();
      spikes.push(Float64Array.from([...steps, ...gids]));
    }
    expect(spikes[0]!.length).toBeGreaterThan(1000);
    expect(spikes[1]).toEqual(spikes[0]);
  });
});
