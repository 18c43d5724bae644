import type { AdexParams } from '../../src/celltypes/adex.ts';
import type { ProbeKind } from '../../src/graph/types.ts';
import type { Receptor } from '../../src/synapses/receptors.ts';
import type { StpParams } from '../../src/synapses/stp.ts';

/**
 * What the NEURON runner (run_network.py) builds: a graph as our conductance engine drew it.
 * Plain data (JSON) with the large arrays beside it as binary files. Every neuron, source index
 * and port relay has a global id (gid): populations first, then spike sources, then relays.
 * docs/pynn-neuron.md maps each field to its NEURON name and unit.
 */
export const SPEC_FORMAT = 'swta-neuron/1';

/** One receptor channel of a population: a receptor with fixed kinetics (as the engine groups them). */
export interface ChannelSpec {
  receptor: Receptor;
  tauRiseMs: number;
  tauDecayMs: number;
  eRevMv: number;
  mgBlock: boolean;
  /** exp(−dt/τ_decay), exp(−dt/τ_rise) (0 when τ_rise = 0), and the peak normalization. */
  decayA: number;
  decayB: number;
  norm: number;
}

export interface PopulationSpec {
  id: string;
  size: number;
  gidStart: number;
  /** The resolved AdEx parameters (class defaults, then overrides); V_T and g_L per neuron below. */
  params: AdexParams;
  /** Per neuron, as drawn by the engine (mismatch, initial state). */
  vTMv: number[];
  gLNs: number[];
  vInitMv: number[];
  refractorySteps: number;
  channels: ChannelSpec[];
}

export interface SourceSpec {
  id: string;
  kind: 'poisson' | 'spikes';
  size: number;
  gidStart: number;
}

/** A module input port replayed by relays (networks of modules only). */
export interface RelaySpec {
  id: string;
  size: number;
  gidStart: number;
  /** The link NetCons' delay and the relays' lead (swta_relay.mod). */
  leadMs: number;
}

/** One receptor component of a projection, mapped to a channel of the post population. */
export interface ComponentSpec {
  receptor: Receptor;
  channel: number;
  gNs: number;
  /** Saturating NMDA gating: α_s and the gating decay τ (ms); null for a linear component. */
  saturation: { alphaS: number; tauDecayMs: number } | null;
}

/** A binary array file beside spec.json: little-endian int32 or float64. */
export interface ArrayRef {
  file: string;
  dtype: 'int32' | 'float64';
  length: number;
}

export interface ProjectionSpec {
  id: string;
  /** The presynaptic population, source or relay, and the post population. */
  pre: string;
  preKind: 'population' | 'source' | 'relay';
  post: string;
  delayMs: number;
  delaySteps: number;
  components: ComponentSpec[];
  stp: StpParams | null;
  /** The drawn synapses: pre-local and post-local indices, and weight factors (null: all 1). */
  preIndex: ArrayRef;
  postIndex: ArrayRef;
  weight: ArrayRef | null;
}

/** Links of a network: presynaptic neuron → relay index (a port index of another module). */
export interface LinkSpec {
  id: string;
  pre: string;
  relay: string;
  preIndex: ArrayRef;
  relayIndex: ArrayRef;
}

/** A current injection as per-step amplitude changes: from step `steps[k]` on the amplitude is `amplitudesPa[k]`. */
export interface CurrentSpec {
  id: string;
  population: string;
  neurons: number[];
  steps: number[];
  amplitudesPa: number[];
}

export interface ProbeSpec {
  id: string;
  target: string;
  kind: ProbeKind;
  neurons: number[] | null;
  receptor: Receptor | null;
}

export interface NeuronSpec {
  format: typeof SPEC_FORMAT;
  name: string;
  seed: number;
  dtMs: number;
  tickMs: number;
  stepsPerTick: number;
  /** [Mg²⁺]/3.57 mM of the Jahr–Stevens block. */
  mgOver357: number;
  populations: PopulationSpec[];
  sources: SourceSpec[];
  relays: RelaySpec[];
  projections: ProjectionSpec[];
  links: LinkSpec[];
  currents: CurrentSpec[];
  probes: ProbeSpec[];
  /** Ordering offsets of NetCon events (ms per key unit): see run_network.py, "event order". */
  orderEpsilonMs: number;
}

/** A run of a spec: how long, the source spike trains, where to write. */
export interface RunSpec {
  durationMs: number;
  /** Source spikes: times (ms) and source gids, sorted by time. */
  spikeTimes: ArrayRef;
  spikeGids: ArrayRef;
  /** Record v/w traces of these probes (ids). */
  traceProbes: string[];
}
