/**
 * One TrueNorth neurosynaptic core: 256 axons × 256 neurons on a binary crossbar, 4 axon types,
 * a 16-slot axon schedule (delays 1–15 ticks) and one 8-bit PRNG. The neuron rule is the one in
 * neuron.ts (§5.2 of docs/reference/swta-and-truenorth.md), run here over all neurons on typed arrays.
 *
 * Per tick t, step(t):
 *   reads   schedule slot t & 15 (axons that spike now), crossbar, axon types, neuron parameters
 *   writes  v (every configured neuron), rngState, fired[0..firedCount), clears slot t & 15
 *   1. axon pass (event-driven): for each set bit a of the slot, for each set bit j of the crossbar
 *      row a restricted to deterministic synapses (b_{G_a}(j) = 0): v[j] += weight[G_a][j].
 *   2. neuron pass: (a) the fast neurons (deterministic synapses, leak and threshold, no leak
 *      reversal, kappa = 1: every population neuron the compiler makes), leak, saturation,
 *      threshold/fire/reset with the floor at −beta as a select; (b) the other neurons in ascending
 *      order: stochastic synapses of j (active axons in ascending order, one PRN draw each), leak,
 *      saturation, threshold/fire/reset.
 * Splitting deterministic synapses out of the neuron pass is exact: integer addition commutes and V
 * saturates only once per tick, after the leak. Splitting the neuron pass is exact: neurons do not
 * interact within a tick and fast neurons draw no PRN, so the draws of (b), in neuron order, are
 * the sequence a neuron-by-neuron core (like the chip's time-multiplexed neuron block) would make:
 * neuron 0's synapses, leak, threshold, then neuron 1's, …
 *
 * Neurons at index ≥ `used` (one past the highest configured neuron) are inert (INERT_NEURON: no
 * weight, no leak, V = 0 < alpha = 1) and are skipped: exact, since they never change or draw.
 *
 * Speed (the throughput benchmark: 256 cores, 20 Hz, state that does not stay in cache): rebuild() detects an axon
 * type whose deterministic weight is the same for every neuron (the compiler gives a population one
 * weight per type) and a fast class with one parameter set; step() then adds a constant per event
 * and runs the fast loop with its parameters in registers. Neuron classes are index lists into a
 * table of distinct parameter tuples, so the neuron pass reads a few cache lines of parameters; the
 * axon pass gathers the active axons and touches their rows and V before scanning (overlapping
 * misses). None of this changes an addition or a draw.
 */
import { TrueNorthError } from './errors.ts';
import {
  AXON_TYPES,
  INERT_NEURON,
  V_MAX,
  V_MIN,
  checkNeuronParams,
  compileNeuron,
  type CompiledNeuron,
  type TrueNorthNeuronParams,
} from './neuron-params.ts';
import { seedState } from './prng.ts';

export const AXONS = 256;
export const NEURONS = 256;
/** 32-bit words per 256-bit row (crossbar row or schedule slot). */
export const WORDS = 8;
/** Delay range of a neuron's destination, in ticks (pytruenorth: "dest_delay Max 15"). */
export const DELAY_MIN = 1;
export const DELAY_MAX = 15;
/** Schedule slots: a spike for tick t waits in slot t & 15, so delays up to 15 never collide with now. */
export const SLOTS = 16;
/** Core.route value of a destination core ≥ 2^19 (no network has that many cores). */
export const ROUTE_FAR = 0x7ffff000;

/** Where a neuron's spikes go: one axon of one core, `delayTicks` ticks later. */
export interface Destination {
  core: number;
  axon: number;
  delayTicks: number;
}

// Layout of `flags[j]` (one int32 per neuron; the chip keeps these bits in the neuron's SRAM row):
const STOCH_SYN = 1; //   bit 0     some b_G = 1 (stochastic synapse on at least one axon type)
const STOCH_LEAK = 2; //  bit 1     c_lambda, stochastic leak
const EPSILON = 4; //     bit 2     epsilon, leak reversal
const STOCH_TH = 8; //    bit 3     TM > 0, stochastic threshold
const SLOW = 15; //       bits 0–3  all clear (and kappa set): the fast path, no PRN draw
const B_SHIFT = 4; //     bits 4–7  b_0..b_3
const GAMMA_SHIFT = 8; // bits 8–9  gamma ∈ {0, 1, 2}
const KAPPA = 1 << 12; // bit 12    kappa
const MASK_SHIFT = 16; // bits 16–23 threshold mask 2^TM − 1 ∈ [0, 255]

// Layout of `params` (4 int32 per neuron, at j·4), read together in the neuron pass:
const P_LEAK = 0; //  sigma_lambda·lambda ∈ [−255, 255]
const P_ALPHA = 1; // alpha ∈ [0, 262143]
const P_BETA = 2; //  beta ∈ [0, 262143] (magnitude: the negative threshold is −beta or −(beta + eta))
const P_RESET = 3; // R = sigma_VR·(2^VR − 1) ∈ [−262143, 262143]
const P_STRIDE = 4;

// Layout of one entry of `paramSets` (R_STRIDE int32 at set·R_STRIDE): the distinct (flags, P_*)
// tuples of the core's neurons, so the neuron pass reads a few cache lines of parameters, not 4 KB.
const R_FLAGS = 0;
const R_LEAK = 1;
const R_ALPHA = 2;
const R_BETA = 3;
const R_RESET = 4;
const R_STRIDE = 8;
const R_SHIFT = 3;

export class Core {
  // --- configuration (the core's SRAM) -----------------------------------------------------------
  /** Row a = axon a, bit j of word a·8 + (j >> 5) set ⇔ w_aj = 1. Change through connect/setRow. */
  readonly crossbar = new Uint32Array(AXONS * WORDS);
  /** G_a ∈ [0, 3] per axon. Change through setAxonType. */
  readonly axonType = new Uint8Array(AXONS);
  /** [G·256 + j] = sigma_G·s_G ∈ [−255, 255]. */
  private readonly weight = new Int32Array(AXON_TYPES * NEURONS);
  /** Per-neuron leak, thresholds and reset potential, P_STRIDE int32 each (layout above). */
  private readonly params = new Int32Array(NEURONS * P_STRIDE);
  /** Per-neuron mode bits, b_G, gamma, kappa, threshold mask (layout above). */
  private readonly flags = new Int32Array(NEURONS);
  /** Initial V ∈ [V_MIN, V_MAX], restored by reset(). */
  private readonly v0 = new Int32Array(NEURONS);
  /** The compiled parameters as set, for getNeuron (not read by step). */
  private readonly compiled: CompiledNeuron[] = [];
  /** Destination core per neuron, −1 = none (the spike is only reported). */
  readonly destCore = new Int32Array(NEURONS).fill(-1);
  /** Destination axon ∈ [0, 255]. */
  readonly destAxon = new Uint8Array(NEURONS);
  /** Destination delay ∈ [1, 15] ticks. */
  readonly destDelay = new Uint8Array(NEURONS).fill(1);
  /** The destination packed for the network's spike routing: core·4096 + delay·256 + axon, or −1
   *  for none; ROUTE_FAR if the core index does not fit (the network then reports destCore). */
  readonly route = new Int32Array(NEURONS).fill(-1);

  // --- state -------------------------------------------------------------------------------------
  /** Membrane potentials, each in [V_MIN, V_MAX] between ticks (20-bit signed on the chip [K]). */
  readonly v = new Int32Array(NEURONS);
  /** 16 slots × 256 axon bits: slot t & 15 holds the axons that spike at tick t. A Network
   *  passes a view of its one schedule array for all cores (SLOTS·WORDS words per core). */
  readonly schedule: Uint32Array;
  /** xorshift32 state (prng.ts), 32 bits, never 0. Held in a typed array, like the counter below,
   *  so that V8 never sees a field change from small integer to heap number: that change
   *  deoptimizes step() and the re-optimized code was measured ~2× slower. */
  private readonly rng = new Int32Array(1);
  /** Synaptic events since reset: Σ over active axons of the crossbar row's set bits. */
  private readonly events = new Float64Array(1);
  /** Neurons fired by the last step: fired[0..firedCount) (local indices, ascending). */
  readonly fired = new Int32Array(NEURONS);
  firedCount = 0;
  /** One past the highest configured neuron; neurons from here on are inert and skipped. */
  used = 0;

  // --- derived (rebuilt lazily when configuration changes) ---------------------------------------
  /** crossbar restricted to deterministic synapses: bit (a, j) kept iff b_{G_a}(j) = 0. */
  private readonly detRows = new Uint32Array(AXONS * WORDS);
  /** Per axon a: popcount(crossbar row a) << 2 | G_a (events per spike, type; one load). */
  private readonly axonInfo = new Int32Array(AXONS);
  /** Axons spiking this tick, ascending, as a << 2 | G_a. */
  private readonly activeAxons = new Int32Array(AXONS);
  /** Neurons j < used with (flags & SLOW) = 0 and kappa = 1, ascending: fastIdx[0..nFast), each
   *  as j | set << 8 (set: its paramSets entry). */
  private readonly fastIdx = new Uint16Array(NEURONS);
  private nFast = 0;
  /** The other neurons j < used, ascending, as fastIdx: slowIdx[0..nSlow). */
  private readonly slowIdx = new Uint16Array(NEURONS);
  /** Distinct neuron parameter tuples (R_* layout); at most one per neuron. */
  private readonly paramSets = new Int32Array(NEURONS * R_STRIDE);
  private nSlow = 0;
  /** Bit G set ⇔ every neuron j < used with b_G(j) = 0 has weight typeWeight[G] for type G. */
  private uniformTypes = 0;
  private readonly typeWeight = new Int32Array(AXON_TYPES);
  /** All fast neurons share leak, alpha, beta, R (fastParams, P_* layout) and gamma (fastGamma). */
  private fastUniform = false;
  private readonly fastParams = new Int32Array(P_STRIDE);
  private fastGamma = 0;
  /** Neurons fired in the current step, as 8 words of bits; empty between steps. */
  private readonly firedMask = new Uint32Array(WORDS);
  /** Sink for the prefetching loads of step() (so they are not optimized away); a typed array,
   *  like rng, so that no field changes representation. */
  private readonly touched = new Int32Array(1);
  private dirty = true;
  private readonly seed: number;

  constructor(options: { seed: number; schedule?: Uint32Array }) {
    this.seed = options.seed;
    const schedule = options.schedule ?? new Uint32Array(SLOTS * WORDS);
    if (schedule.length !== SLOTS * WORDS) throw configError('core', 'schedule', `must have ${SLOTS * WORDS} words, got ${schedule.length}`);
    this.schedule = schedule;
    this.rng[0] = seedState(options.seed);
    const inert = compileNeuron(INERT_NEURON);
    for (let j = 0; j < NEURONS; j++) this.writeNeuron(j, inert);
  }

  /** The xorshift32 state as uint32 (prng.ts Prng8.state after the same number of draws). */
  get rngState(): number {
    return this.rng[0]! >>> 0;
  }

  /** Synaptic events since construction or reset (active axon × set crossbar bit). */
  get synapticEvents(): number {
    return this.events[0]!;
  }

  // --- configuration -----------------------------------------------------------------------------

  /** Sets neuron j's parameters (validated; throws TN_PARAMS_INVALID) and its V to params.V. */
  setNeuron(j: number, params: TrueNorthNeuronParams): void {
    checkIndex('neuron', j, NEURONS);
    const { issues } = checkNeuronParams(params, { where: `core neuron ${j}` });
    if (issues.length > 0) throw new TrueNorthError('TN_PARAMS_INVALID', issues);
    this.writeNeuron(j, compileNeuron(params));
    if (j >= this.used) this.used = j + 1;
  }

  /** Neuron j's parameters as set (compiled form; INERT_NEURON's if never set). */
  getNeuron(j: number): CompiledNeuron {
    checkIndex('neuron', j, NEURONS);
    return this.compiled[j]!;
  }

  private writeNeuron(j: number, c: CompiledNeuron): void {
    let b = 0;
    for (let g = 0; g < AXON_TYPES; g++) {
      this.weight[(g << 8) + j] = c.weight[g]!;
      b |= c.stochasticSynapse[g]! << g;
    }
    const p = j * P_STRIDE;
    this.params[p + P_LEAK] = c.leak;
    this.params[p + P_ALPHA] = c.alpha;
    this.params[p + P_BETA] = c.beta;
    this.params[p + P_RESET] = c.resetPotential;
    this.flags[j] =
      (b !== 0 ? STOCH_SYN : 0) |
      (c.stochasticLeak ? STOCH_LEAK : 0) |
      (c.epsilon ? EPSILON : 0) |
      (c.thresholdMask !== 0 ? STOCH_TH : 0) |
      (b << B_SHIFT) |
      (c.gamma << GAMMA_SHIFT) |
      (c.kappa ? KAPPA : 0) |
      (c.thresholdMask << MASK_SHIFT);
    this.v0[j] = c.v0;
    this.v[j] = c.v0;
    this.compiled[j] = c;
    this.dirty = true;
  }

  setAxonType(axon: number, type: number): void {
    checkIndex('axon', axon, AXONS);
    checkIndex('axon type', type, AXON_TYPES);
    this.axonType[axon] = type;
    this.dirty = true;
  }

  /** Sets crossbar bit w_{axon,neuron} = 1. */
  connect(axon: number, neuron: number): void {
    checkIndex('axon', axon, AXONS);
    checkIndex('neuron', neuron, NEURONS);
    this.crossbar[(axon << 3) + (neuron >>> 5)]! |= 1 << (neuron & 31);
    this.dirty = true;
  }

  /** Sets crossbar bit w_{axon,neuron} = 0. */
  disconnect(axon: number, neuron: number): void {
    checkIndex('axon', axon, AXONS);
    checkIndex('neuron', neuron, NEURONS);
    this.crossbar[(axon << 3) + (neuron >>> 5)]! &= ~(1 << (neuron & 31));
    this.dirty = true;
  }

  /** Replaces crossbar row `axon` with 8 words (bit j of word j >> 5 = neuron j). */
  setRow(axon: number, words: ArrayLike<number>): void {
    checkIndex('axon', axon, AXONS);
    if (words.length !== WORDS) throw configError(`core axon ${axon}`, 'row', `a crossbar row has ${WORDS} 32-bit words, got ${words.length}`);
    for (let w = 0; w < WORDS; w++) this.crossbar[(axon << 3) + w] = words[w]!;
    this.dirty = true;
  }

  /** Routes neuron j's spikes to `dest`, or nowhere (null). Core index is checked by the Network. */
  setDestination(j: number, dest: Destination | null): void {
    checkIndex('neuron', j, NEURONS);
    if (dest === null) {
      this.destCore[j] = -1;
      this.route[j] = -1;
      return;
    }
    if (!Number.isInteger(dest.core) || dest.core < 0) throw configError(`core neuron ${j}`, 'destination.core', `must be a core index ≥ 0, got ${dest.core}`);
    checkIndex('destination axon', dest.axon, AXONS);
    if (!Number.isInteger(dest.delayTicks) || dest.delayTicks < DELAY_MIN || dest.delayTicks > DELAY_MAX) {
      throw configError(`core neuron ${j}`, 'destination.delayTicks', `must be an integer in [${DELAY_MIN}, ${DELAY_MAX}] ticks, got ${dest.delayTicks}`);
    }
    this.destCore[j] = dest.core;
    this.destAxon[j] = dest.axon;
    this.destDelay[j] = dest.delayTicks;
    this.route[j] = dest.core < ROUTE_FAR >>> 12 ? (dest.core << 12) | (dest.delayTicks << 8) | dest.axon : ROUTE_FAR;
  }

  /** Schedules axon `axon` to spike at tick `tick` (caller keeps tick − now within [0, 15]). */
  deliver(axon: number, tick: number): void {
    this.schedule[((tick & 15) << 3) + (axon >>> 5)]! |= 1 << (axon & 31);
  }

  /** Back to the configured initial state: V = V0, PRNG reseeded, schedule emptied, counters zeroed. */
  reset(): void {
    this.v.set(this.v0);
    this.schedule.fill(0);
    this.rng[0] = seedState(this.seed);
    this.firedCount = 0;
    this.events[0] = 0;
  }

  // --- the tick ----------------------------------------------------------------------------------

  /** Advances tick `tick`; returns firedCount (fired local indices are in `fired`). */
  step(tick: number): number {
    if (this.dirty) this.rebuild();
    const v = this.v;
    const schedule = this.schedule;
    const detRows = this.detRows;
    const crossbar = this.crossbar;
    const weight = this.weight;
    const axonInfo = this.axonInfo;
    const active = this.activeAxons;
    const uniformTypes = this.uniformTypes;
    const typeWeight = this.typeWeight;

    // 1) axon pass: only axons that spike, and for each only the set bits of its row.
    const slot = (tick & 15) << 3;
    let nActive = 0;
    let events = 0;
    // touch: loads whose values are not needed yet. Issued together, their cache misses overlap
    // instead of stalling the bit scans one by one (256 cores' state does not stay in cache).
    let touch = 0;
    for (let w = 0; w < WORDS; w++) {
      let bits = schedule[slot + w]!;
      if (bits === 0) continue;
      schedule[slot + w] = 0; // consumed: the slot is reused for tick + 16
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const a = (w << 5) | (31 - Math.clz32(low));
        const info = axonInfo[a]!;
        active[nActive++] = (a << 2) | (info & 3);
        events += info >>> 2;
        touch ^= detRows[a << 3]!;
      }
    }
    this.events[0]! += events;
    if (nActive !== 0) {
      for (let j = 0, n = this.used; j < n; j += 16) touch ^= v[j]!;
      this.touched[0] = touch;
    }
    for (let i = 0; i < nActive; i++) {
      const e = active[i]!;
      const g = e & 3;
      const rBase = (e >>> 2) << 3;
      if (((uniformTypes >>> g) & 1) !== 0) {
        const s = typeWeight[g]!;
        for (let rw = 0; rw < WORDS; rw++) {
          let row = detRows[rBase + rw]!;
          const j0 = rw << 5;
          while (row !== 0) {
            const b = 31 - Math.clz32(row);
            row ^= 1 << b;
            v[j0 + b]! += s;
          }
        }
      } else {
        const wBase = g << 8;
        for (let rw = 0; rw < WORDS; rw++) {
          let row = detRows[rBase + rw]!;
          const j0 = rw << 5;
          while (row !== 0) {
            const lb = row & -row;
            row ^= lb;
            const j = j0 | (31 - Math.clz32(lb));
            v[j]! += weight[wBase + j]!;
          }
        }
      }
    }

    // 2) neuron pass. Fast neurons (fastIdx: deterministic, leak without reversal, kappa = 1) draw
    //    no PRN and are updated first; the others (slowIdx) follow in ascending order, so the PRN
    //    draws come in neuron order as before. Both lists are ascending and disjoint; firedMask
    //    merges their spikes back into ascending order.
    const firedMask = this.firedMask;
    const fastIdx = this.fastIdx;
    let nFired = 0;
    if (this.fastUniform) {
      // one parameter set for every fast neuron (e.g. a core holding one population): no loads
      // but V; same arithmetic as the general loop below.
      const fp = this.fastParams;
      const leak = fp[P_LEAK]!;
      const th = fp[P_ALPHA]!;
      const floor = 0 - fp[P_BETA]!;
      const reset = fp[P_RESET]!;
      const g = this.fastGamma;
      for (let k = 0, n = this.nFast; k < n; k++) {
        const j = fastIdx[k]! & 255;
        let vj = v[j]! + leak;
        if (vj >= th) {
          // saturation at V_MAX only matters here: alpha ≤ THRESHOLD_MAX < V_MAX.
          vj = vj < V_MAX ? vj : V_MAX;
          vj = g === 0 ? reset : g === 1 ? vj - th : vj;
          firedMask[j >>> 5]! |= 1 << (j & 31);
          nFired++;
        } else {
          vj = vj > floor ? vj : floor;
        }
        v[j] = vj;
      }
    } else {
      const rec = this.paramSets;
      for (let k = 0, n = this.nFast; k < n; k++) {
        const e = fastIdx[k]!;
        const j = e & 255;
        const p = (e >>> 8) << R_SHIFT;
        // deterministic synapses (done above) and leak; saturation at V_MIN is subsumed by the
        // floor at −beta ≥ −THRESHOLD_MAX > V_MIN below.
        let vj = v[j]! + rec[p + R_LEAK]!;
        const th = rec[p + R_ALPHA]!;
        if (vj >= th) {
          vj = vj < V_MAX ? vj : V_MAX;
          const g = (rec[p + R_FLAGS]! >>> GAMMA_SHIFT) & 3;
          if (g === 0) vj = rec[p + R_RESET]!;
          else if (g === 1) vj -= th;
          firedMask[j >>> 5]! |= 1 << (j & 31);
          nFired++;
        } else {
          // kappa = 1: saturate at −beta. −beta ≤ 0 ≤ th, so this is the original's `vj < 0` branch.
          const floor = 0 - rec[p + R_BETA]!;
          vj = vj > floor ? vj : floor;
        }
        v[j] = vj;
      }
    }
    const rec = this.paramSets;
    const slowIdx = this.slowIdx;
    let x = this.rng[0]!; // xorshift32 as prng.ts nextState, kept as int32 bits (rho = x >>> 24)
    for (let k = 0, n = this.nSlow; k < n; k++) {
      const e = slowIdx[k]!;
      const j = e & 255;
      const p = (e >>> 8) << R_SHIFT;
      let vj = v[j]!;
      const f = rec[p + R_FLAGS]!;
      const lam = rec[p + R_LEAK]!;
      let eta = 0;
      if ((f & STOCH_SYN) !== 0) {
        // stochastic synapses: V += sgn(s)·[|s| ≥ rho], one draw per event, ascending axons.
        const word = j >>> 5;
        const bit = 1 << (j & 31);
        for (let i = 0; i < nActive; i++) {
          const e = active[i]!;
          if ((crossbar[((e >>> 2) << 3) + word]! & bit) === 0) continue;
          const g = e & 3;
          if (((f >>> (B_SHIFT + g)) & 1) === 0) continue;
          const s = weight[(g << 8) + j]!;
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          if ((s < 0 ? 0 - s : s) >= x >>> 24) vj += s > 0 ? 1 : s < 0 ? -1 : 0;
        }
      }
      // leak: Omega = 1 (epsilon = 0) or sgn(V) (epsilon = 1).
      if ((f & STOCH_LEAK) === 0) {
        if (lam !== 0) vj += (f & EPSILON) === 0 ? lam : vj > 0 ? lam : vj < 0 ? 0 - lam : 0;
      } else {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        if (lam !== 0 && (lam < 0 ? 0 - lam : lam) >= x >>> 24) {
          const sl = lam > 0 ? 1 : -1;
          vj += (f & EPSILON) === 0 ? sl : vj > 0 ? sl : vj < 0 ? 0 - sl : 0;
        }
      }
      if ((f & STOCH_TH) !== 0) {
        // the draw comes after the saturation below in neuron.ts; no draw depends on V, so
        // drawing here first gives the same numbers.
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        eta = (x >>> 24) & (f >>> MASK_SHIFT);
      }
      // saturate once per tick (see neuron.ts).
      if (vj > V_MAX) vj = V_MAX;
      else if (vj < V_MIN) vj = V_MIN;
      // threshold, fire, reset.
      const th = rec[p + R_ALPHA]! + eta;
      if (vj >= th) {
        const g = (f >>> GAMMA_SHIFT) & 3;
        if (g === 0) vj = rec[p + R_RESET]!;
        else if (g === 1) vj -= th;
        firedMask[j >>> 5]! |= 1 << (j & 31);
        nFired++;
      } else if (vj < 0) {
        // both negative thresholds, −beta and −(beta + eta), are ≤ 0: only V < 0 can cross them.
        // 0 − x, never −x: −0 is not an int32, and one −0 turns vj into a double for the whole
        // loop (measured ~1.5× slower with kappa = 1, beta = 0).
        const beta = rec[p + R_BETA]!;
        if ((f & KAPPA) !== 0) {
          if (vj < 0 - beta) vj = 0 - beta; // negative saturation, whatever gamma
        } else if (vj < 0 - (beta + eta)) {
          const g = (f >>> GAMMA_SHIFT) & 3;
          if (g === 0) vj = 0 - rec[p + R_RESET]!;
          else if (g === 1) vj += beta + eta;
        }
      }
      v[j] = vj;
    }
    this.rng[0] = x;
    // fired local indices, ascending; the mask is cleared as it is read.
    if (nFired !== 0) {
      const fired = this.fired;
      let m = 0;
      for (let w = 0; w < WORDS; w++) {
        let bits = firedMask[w]!;
        if (bits === 0) continue;
        firedMask[w] = 0;
        while (bits !== 0) {
          const low = bits & -bits;
          bits ^= low;
          fired[m++] = (w << 5) | (31 - Math.clz32(low));
        }
      }
    }
    this.firedCount = nFired;
    return nFired;
  }

  /**
   * detRows[a] = crossbar[a] & {j : b_{G_a}(j) = 0}; axonInfo[a] = popcount(crossbar[a]) << 2 | G_a;
   * fastIdx / slowIdx / paramSets: the neuron classes of the neuron pass; the uniform shortcuts.
   */
  private rebuild(): void {
    // neurons ≥ used are inert (weight 0): leaving them out of detRows is exact.
    const detMask = new Uint32Array(AXON_TYPES * WORDS);
    let uniformTypes = 0;
    for (let g = 0; g < AXON_TYPES; g++) {
      let uniform = true;
      let first = -1;
      for (let j = 0; j < this.used; j++) {
        if (((this.flags[j]! >>> (B_SHIFT + g)) & 1) !== 0) continue;
        detMask[g * WORDS + (j >>> 5)]! |= 1 << (j & 31);
        const w = this.weight[(g << 8) + j]!;
        if (first < 0) {
          first = j;
          this.typeWeight[g] = w;
        } else if (w !== this.typeWeight[g]) uniform = false;
      }
      if (first < 0) this.typeWeight[g] = 0;
      if (uniform) uniformTypes |= 1 << g;
    }
    this.uniformTypes = uniformTypes;
    for (let a = 0; a < AXONS; a++) {
      const g = this.axonType[a]!;
      let count = 0;
      for (let w = 0; w < WORDS; w++) {
        const bits = this.crossbar[(a << 3) + w]!;
        this.detRows[(a << 3) + w] = bits & detMask[g * WORDS + w]!;
        count += popcount(bits);
      }
      this.axonInfo[a] = (count << 2) | g;
    }
    let nFast = 0;
    let nSlow = 0;
    const sets = new Map<string, number>();
    const fastSets = new Set<number>();
    for (let j = 0; j < this.used; j++) {
      const f = this.flags[j]!;
      const q = j * P_STRIDE;
      const tuple = [f, this.params[q + P_LEAK]!, this.params[q + P_ALPHA]!, this.params[q + P_BETA]!, this.params[q + P_RESET]!];
      const key = tuple.join(',');
      let set = sets.get(key);
      if (set === undefined) {
        set = sets.size;
        sets.set(key, set);
        this.paramSets.set(tuple, set << R_SHIFT);
      }
      if ((f & SLOW) === 0 && (f & KAPPA) !== 0) {
        this.fastIdx[nFast++] = j | (set << 8);
        fastSets.add(set);
      } else this.slowIdx[nSlow++] = j | (set << 8);
    }
    this.nFast = nFast;
    this.nSlow = nSlow;
    // one set for all fast neurons: the fast loop runs with its parameters as constants.
    this.fastUniform = fastSets.size === 1;
    if (this.fastUniform) {
      const p = (this.fastIdx[0]! >>> 8) << R_SHIFT;
      const fp = this.fastParams;
      fp[P_LEAK] = this.paramSets[p + R_LEAK]!;
      fp[P_ALPHA] = this.paramSets[p + R_ALPHA]!;
      fp[P_BETA] = this.paramSets[p + R_BETA]!;
      fp[P_RESET] = this.paramSets[p + R_RESET]!;
      this.fastGamma = (this.paramSets[p + R_FLAGS]! >>> GAMMA_SHIFT) & 3;
    }
    this.dirty = false;
  }
}

/** Set bits of a 32-bit word (SWAR). */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function checkIndex(what: string, i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw configError('core', what, `must be an integer in [0, ${n - 1}], got ${i}`);
}

function configError(where: string, field: string, message: string): TrueNorthError {
  return new TrueNorthError('TN_CONFIG_INVALID', [{ where, field, rule: 'range', message }]);
}
