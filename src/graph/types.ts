import type { AdexParams } from '../celltypes/adex.ts';
import type { CellClass } from '../celltypes/l23.ts';
import type { NmdaModel } from '../synapses/nmda.ts';
import type { Receptor } from '../synapses/receptors.ts';
import type { StpParams } from '../synapses/stp.ts';
import type { Hertz, Millisecond, Nanosiemens, Picoampere } from '../units.ts';

/**
 * A network graph is plain, JSON-serializable data: what the network *is*.
 * Adapters (adapters/conductance, adapters/truenorth) compile it into engines that run it.
 * Build graphs with the helpers in build.ts and check them once with validate().
 */
export interface Graph {
  name?: string;
  populations: Population[];
  projections: Projection[];
  stimuli: Stimulus[];
  probes: Probe[];
}

/** A group of neurons of one cell class ('custom' needs every AdEx parameter in `params`). */
export interface Population {
  id: string;
  size: number;
  cell: CellClass | 'custom';
  /** Overrides of the class defaults; for 'custom', the full parameter set. */
  params?: Partial<AdexParams>;
  /** Per-neuron parameter mismatch: V_T gets N(0, vTSdMv²) added; g_L is scaled by exp(N(0, gLCv²)). */
  mismatch?: { vTSdMv?: number; gLCv?: number };
  /** Initial membrane potential: E_L by default, or uniform in [fromMv, toMv). */
  vInitMv?: { fromMv: number; toMv: number };
}

export type ConnectRule =
  | { rule: 'all'; autapses?: boolean }
  | { rule: 'fixedProbability'; p: number; autapses?: boolean }
  | { rule: 'fixedInDegree'; k: number; autapses?: boolean }
  | { rule: 'oneToOne' }
  | { rule: 'pairs'; pre: number[]; post: number[] };

/** One receptor component of a projection's synapses (e.g. the AMPA and NMDA parts of Pyr → Pyr). */
export interface SynapseComponent {
  receptor: Receptor;
  /** Resting peak conductance per synapse. */
  gNs: Nanosiemens;
  /** Kinetics; receptor defaults (src/synapses/receptors.ts) when omitted. τ_rise = 0: single exponential. */
  tauRiseMs?: Millisecond;
  tauDecayMs?: Millisecond;
  /** Reversal potential; receptor default when omitted. */
  eRevMv?: number;
  /**
   * NMDA only: 'saturating' gates each presynaptic neuron's synapses by an occupancy s ∈ [0, 1]
   * (src/synapses/nmda.ts), 'linear' adds the same bi-exponential for every spike. Default
   * 'linear'; the L2/3 pathways (l23Pathway) use 'saturating'.
   */
  nmdaModel?: NmdaModel;
  /** 'saturating' only: α_s, the fraction of free receptors one spike binds; default NMDA_SPIKE_INCREMENT (Wang 2002). */
  nmdaSpikeIncrement?: number;
}

/**
 * Synapses from `pre` (a population or a spike-source stimulus) onto `post` (a population).
 * Every synapse of a projection shares its components, delay and STP; `weightSpread` scales
 * each synapse's conductances by one log-normal factor of mean 1.
 */
export interface Projection {
  id: string;
  pre: string;
  post: string;
  connect: ConnectRule;
  components: SynapseComponent[];
  weightSpread?: { logNormalCv: number };
  delayMs: Millisecond;
  stp?: StpParams;
}

/** A piecewise-constant schedule: value `v` from `atMs` on (until the next entry). */
export interface ScheduleEntry {
  atMs: Millisecond;
  v: number;
}

/**
 * Stimuli. Spike sources ('poisson', 'spikes') act as presynaptic populations of projections.
 * 'poisson' fires independently per source neuron at `rateHz` (or its schedule); the runtime can
 * change the rate live. 'spikes' replays listed spikes and also accepts spikes injected at step().
 * 'current' injects a current into a population (or a subset), as steps and linear ramps.
 */
export type Stimulus = PoissonSource | SpikeSource | CurrentInjection;

export interface PoissonSource {
  kind: 'poisson';
  id: string;
  size: number;
  rateHz: Hertz;
  /** Rate schedule (Hz); overrides rateHz from the first entry's time on. */
  schedule?: ScheduleEntry[];
}

export interface SpikeSource {
  kind: 'spikes';
  id: string;
  size: number;
  /** Spikes to replay: parallel arrays of times (ms) and source indices. */
  timesMs?: number[];
  indices?: number[];
}

export interface CurrentSegment {
  startMs: Millisecond;
  /** Open-ended (until the run stops) when omitted. */
  endMs?: Millisecond;
  fromPa: Picoampere;
  /** End amplitude of a linear ramp; equal to fromPa (or omitted) for a step. */
  toPa?: Picoampere;
}

export interface CurrentInjection {
  kind: 'current';
  id: string;
  target: string;
  /** Target neurons; all when omitted. */
  neurons?: number[];
  segments: CurrentSegment[];
}

export type ProbeKind = 'spikes' | 'rate' | 'v' | 'w' | 'g';

/**
 * What to record. 'spikes' records (time, index) pairs; 'rate' the population spike count per tick;
 * 'v', 'w' and 'g' sample the chosen neurons once per tick ('g' needs a receptor).
 */
export interface Probe {
  id: string;
  target: string;
  kind: ProbeKind;
  neurons?: number[];
  receptor?: Receptor;
}
