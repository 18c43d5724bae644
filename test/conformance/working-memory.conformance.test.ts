/**
 * The working-memory outcome on every adapter (scenarios/working-memory/protocol.ts, seeds 1–3,
 * 10 % mismatch): what both adapters must show, and persistence and switching on the adapters
 * that do not skip them (TRUENORTH_SKIPS: 'working-memory persistence and switching').
 */
import { describe, expect, it } from 'vitest';
import { adapterRef } from '../../adapters/registry.ts';
import { IDLE } from '../../runtime/working-memory-machine.ts';
import { runProtocol, type SeedResult } from '../../scenarios/working-memory/protocol.ts';
import { BACKENDS, TRUENORTH_SKIPS } from './backends.ts';

const SEEDS = [1, 2, 3];
/** Up-state band per Pyr cell (Wang 1999, Compte et al. 2000; src/motifs/working-memory.ts header). */
const UP_STATE_HZ = { min: 20, max: 50 } as const;
/** A rate no sWTA pool reaches in the protocol (50-ms window): the loop has not run away. */
const RUNAWAY_HZ = 200;

const results = new Map<string, SeedResult[]>();
async function protocol(backend: (typeof BACKENDS)[number]): Promise<SeedResult[]> {
  let r = results.get(backend);
  if (!r) {
    r = [];
    for (const seed of SEEDS) r.push(await runProtocol({ seed, adapter: adapterRef(backend) }));
    results.set(backend, r);
  }
  return r;
}

const skipsPersistence = (backend: string): boolean => backend === 'truenorth' && TRUENORTH_SKIPS.some((s) => s.property.startsWith('working-memory persistence'));

describe.each(BACKENDS)('working-memory conformance on %s (seeds 1–3)', (backend) => {
  it('no runaway, no state from "go" while idle, the control decays within 200 ms', async () => {
    for (const r of await protocol(backend)) {
      expect(Math.max(...r.record.samples.flatMap((s) => s.rates))).toBeLessThan(RUNAWAY_HZ);
      for (const t of r.trials.filter((x) => x.name.startsWith(`${IDLE} `))) expect(t.ok, `seed ${r.seed}: ${t.name}`).toBe(true);
      expect(r.controlDecayMs, `seed ${r.seed}`).not.toBeNull();
      expect(r.controlDecayMs!, `seed ${r.seed}`).toBeLessThanOrEqual(200);
    }
  }, 120_000);

  it.skipIf(skipsPersistence(backend))(`persistence ≥ 2 s in the ${UP_STATE_HZ.min}–${UP_STATE_HZ.max} Hz band, every valid switch made, no false switch`, async () => {
    for (const r of await protocol(backend)) {
      expect(r.persisted, `seed ${r.seed}`).toBe(true);
      expect(r.upStateHz).toBeGreaterThan(UP_STATE_HZ.min);
      expect(r.upStateHz).toBeLessThan(UP_STATE_HZ.max);
      for (const t of r.trials.filter((x) => !x.name.startsWith(`${IDLE} `))) expect(t.ok, `seed ${r.seed}: ${t.name}`).toBe(true);
    }
  }, 120_000);
});

describe('working-memory protocol trials', () => {
  it('the protocol has two idle trials and four in a state (so the filters above are not vacuous)', async () => {
    const [r] = await protocol('conductance');
    expect(r!.trials.filter((x) => x.name.startsWith(`${IDLE} `))).toHaveLength(2);
    expect(r!.trials.filter((x) => !x.name.startsWith(`${IDLE} `))).toHaveLength(4);
  }, 120_000);
});
