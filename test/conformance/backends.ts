/**
 * The conformance suite's fixture (after Nengo's backend test suite, which nengo-loihi reruns with
 * its own list of unsupported tests): every adapter runs the same graphs through the Engine
 * contract, and what an adapter cannot represent is listed here with the reason, instead of being
 * quietly loosened in the tests.
 */
import { LIVE_BACKENDS as BACKENDS, type LiveBackend as Backend } from '../../adapters/registry.ts';
import { ModuleRunner, type Condition, type ModuleRates } from '../../scenarios/swta/module-runner.ts';

export { BACKENDS };

/** One fixed seed for every comparison (the calibration's). */
export const SEED = 3;

/** What TrueNorth does not represent, and so what the suite does not ask of it. */
export const TRUENORTH_SKIPS: readonly { property: string; reason: string }[] = [
  {
    property: 'NMDA voltage dependence',
    reason: 'the Mg²⁺ block makes NMDA drive grow with depolarization; a TrueNorth synapse adds a fixed integer weight, so NMDA enters the gain matching at one operating voltage (V_op = (V_T + V_r)/2)',
  },
  {
    property: 'short-term plasticity',
    reason: 'the crossbar has no synaptic state: Tsodyks–Markram depression and facilitation are frozen at a 20 Hz operating rate; rate-dependent efficacy (e.g. SST\'s facilitating input saturating) is lost',
  },
  {
    property: 'exact conductance kinetics and shunting',
    reason: 'receptor time courses (rise, decay, GABA_B\'s 200 ms) become one tick of integration, and conductance-based inhibition, which divides as well as subtracts, becomes subtractive; LAMP5 normalization is therefore subtractive on TrueNorth',
  },
  {
    property: 'spike-frequency adaptation and per-population parameter overrides',
    reason: 'a population\'s TrueNorth parameters come from its cell class\'s calibration: AdEx adaptation (b, τ_w) is not modelled, so the cholinergic context of swta-hysteresis (Pyr b = 0), which makes the winner persist on the conductance module, changes nothing on TrueNorth — winner persistence is not asked of TrueNorth',
  },
  {
    property: 'working-memory persistence and switching',
    reason: 'the coupling\'s depression is carried by saturation relays (min(r, 20 Hz), docs/truenorth-mapping.md §10) and the open loop is bistable with its up-state at 37–43 Hz, but the TrueNorth module oscillates at high drive (bursts and silences of 20–50 ms) and the two coupled modules fall silent together within 150 ms of the cue\'s end; the conductance coupling is NMDA with a 100 ms decay, which a one-tick TrueNorth synapse does not have (swta run working-memory --backend truenorth, 20 seeds: persistence 0 %, correct switches 0 %, false switches 0 %, control decay ≤ 20 ms)',
  },
  {
    property: 'sub-millisecond timing, refractoriness, synchrony measures',
    reason: 'one tick is 1 ms, delays are whole ticks (and a splitter adds one), a neuron has no refractory period; only rates per population are compared',
  },
  {
    property: 'membrane, adaptation and conductance probes; current injection',
    reason: 'the TrueNorth membrane is a unitless integer and has no current input: \'v\', \'w\', \'g\' probes and \'current\' stimuli are rejected at compile with this reason',
  },
];

/** Settle and measurement window of the conformance runs (ms): shorter than the scenarios'. */
export const TIMING = { settleMs: 300, windowMs: 700 } as const;

const runners = new Map<string, ModuleRunner>();

/** A 2-pool × 80 sWTA module (the calibration module) on `backend`, compiled once per backend. */
export function moduleRunner(backend: Backend): ModuleRunner {
  let r = runners.get(backend);
  if (!r) {
    r = new ModuleRunner({ module: { pools: 2, poolSize: 80 }, seed: SEED, backend, ...TIMING });
    runners.set(backend, r);
  }
  return r;
}

const measured = new Map<string, ModuleRates>();

/** Rates under a condition, measured once per backend and condition. */
export function rates(backend: Backend, c: Condition): ModuleRates {
  const key = `${backend}|${c.inputsHz.join(',')}|${c.vipHz ?? 0}|${c.lamp5Hz ?? 0}`;
  let m = measured.get(key);
  if (!m) {
    m = moduleRunner(backend).measure(c);
    measured.set(key, m);
  }
  return m;
}
