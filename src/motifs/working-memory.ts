import { poissonFibres } from '../graph/build.ts';
import type { ModuleLink, Network, NetworkModule } from '../graph/network.ts';
import type { Graph, Projection, Stimulus } from '../graph/types.ts';
import type { AdexParams } from '../celltypes/adex.ts';
import type { StpParams } from '../synapses/stp.ts';
import { perNeuronBackground, swtaModule, type ClassBackground, type SwtaModuleIds, type SwtaModuleOptions } from './swta-module.ts';

/**
 * Working memory from coupled sWTA modules, after Rutishauser & Douglas 2009
 * (docs/reference/swta-and-truenorth.md §6, docs/reference/anchors.md §7): M sWTA modules with K pools each (pool k = state k),
 * sparse cross-excitation between corresponding pools of different modules, and transition
 * neurons that move the state on an input symbol. A single uncoupled module is the control.
 *
 *   wm0.pyr_k ──link──▶ port wm1.x.wm0.pyr_k ──AMPA+NMDA, depressing──▶ wm1.pyr_k      (and back)
 *   wm*.pyr_i ──link──▶ port trans.x.wm*.pyr_i ──NMDA──▶ trans.t_i_j ◀──AMPA── trans.go_j ("go to j")
 *   trans.t_i_j ──link──▶ port wm*.x.trans.t_i_j ──AMPA+NMDA, facilitating──▶ wm*.pyr_j
 *   wm*.reset (Poisson) ──AMPA──▶ wm*.pv, wm*.sst                                       (back to idle)
 *
 * Persistence. The modules are sWTA modules at WM_MODULE_OPTIONS (the module defaults, with the
 * Pyr background a little weaker); one alone does not hold an up-state once its cue is gone (the
 * control). The coupling closes a second loop through the other module: NMDA only, saturating
 * (nmda.ts), with fast depression (U 0.5, τ_rec 100 ms). Both saturations make the coupling's drive
 * nearly flat above ~20 Hz (NMDA occupancy half-saturates near 16 Hz, depression near 1/(U·τ_rec)
 * = 20 Hz), so the up-state sits where that flat drive puts a pool against its adaptation and the
 * module's inhibition: 35–40 Hz (Wang 1999, Compte et al. 2000: 20–50 Hz), not at a rate ceiling.
 * The slow NMDA and the fast recovery (τ_rec < τ_w 200 ms) keep the ignition from overshooting
 * into a burst whose adaptation would then kill the state. Measured open loop (one module, its
 * partner replaced by Poisson trains at rate r): the pool's rate crosses r from above near 30–40
 * Hz and stays below r up to ~8 Hz, i.e. two stable states with a saddle between.
 *
 * The spontaneous state must be stable too, against the pools' own fluctuations: the coupling
 * is what makes it fragile (a pool a few Hz up recruits its partner). WM_MODULE_OPTIONS lowers the
 * Pyr background excitation from 0.75 to 0.62 nS per event, so the mean V sits further below
 * threshold and the f–I curve is convex at low rates: spontaneous Pyr 0.3–0.7 Hz with 10 %
 * mismatch (awake V1: 0.5–3 Hz, docs/reference/celltypes.md §d2), PV 11–13, SST 5–7, VIP ≈ 3,
 * LAMP5 ≈ 2.5 Hz. At 0.65 nS noise ignited a pool within 2 s in 4 of 6 seeds; at 0.62, 0 of 6.
 *
 * Competition. A held pool's PV (≈ 30 Hz) and SST (≈ 20–25 Hz) suppress the other pool well
 * below its spontaneous rate (≈ 0.1 Hz); the sWTA's shared inhibition does that by design, and it
 * is what keeps the two states apart.
 *
 * Transitions. T_i→j gets state i through NMDA (slow, and Mg²⁺-blocked unless the go input
 * depolarizes the cell: a coincidence detector) and "go to j" through many weak AMPA fibres.
 * T cells have their own balanced background, weaker than the pools' (they have no adaptation,
 * b = 0), so they sit far enough below threshold that their response is strongly convex: either
 * input alone gives ≲ 1.5 Hz, both ~15–20 Hz. Their output facilitates (U 0.02, τ_facil 300 ms),
 * so sporadic spikes stay weak while a sustained burst ignites pool j; pool j then wins and
 * suppresses pool i, which removes T_i→j's state input: the transition ends by itself.
 *
 * Every number is a named option with its default in WM_DEFAULTS [I], tuned with the sweeps
 * behind `swta run working-memory` (scenarios/working-memory) under 10 % mismatch.
 */
export interface CouplingOptions {
  /** Probability that a pool cell receives a given cell of the corresponding pool of another module. */
  pyrP: number;
  /** Peak AMPA and NMDA conductances of one coupling synapse onto Pyr (nS, resting). */
  ampaGNs: number;
  nmdaGNs: number;
  /** Depression of the coupling synapses (Tsodyks–Markram); false: none (the up-state runs away). */
  stp: StpParams | false;
  /**
   * Balanced part: the same spikes onto the other module's interneurons (probability, AMPA nS;
   * 0 disables, the default). Tried for a lower up-state: PV then fires at 200–400 Hz, but its
   * depressing synapses onto Pyr saturate and the up-state stays above 120 Hz.
   */
  interneuronP: number;
  interneuronGNs: number;
  /** Which interneuron classes of the other module the balanced part reaches. */
  interneuronTargets: ('pv' | 'sst')[];
  /** STP of the balanced part (false: none, so its inhibition keeps growing with the rate). */
  interneuronStp: StpParams | false;
}

export interface TransitionOptions {
  /** Cells per transition population T_i→j. */
  size: number;
  /** State input: probability and AMPA/NMDA nS from each state-i pool cell (every coupled module) onto T_i→j. */
  stateP: number;
  stateAmpaGNs: number;
  stateNmdaGNs: number;
  /** STP of the state input (default none: the NMDA already integrates over ~100 ms). */
  stateStp: StpParams | false;
  /** Symbol input "go to j": Poisson fibres, fibres per T cell, AMPA nS per fibre. Its rate is set per run. */
  goFibres: number;
  goInDegree: number;
  goGNs: number;
  /** Output: probability and AMPA/NMDA nS from a T cell onto each target-pool cell (every coupled module). */
  targetP: number;
  targetAmpaGNs: number;
  targetNmdaGNs: number;
  /**
   * Facilitation of the output: sporadic T spikes (a lone input leaks a few) stay weak, a sustained
   * T burst grows ~5× stronger, so only a real transition ignites the target pool.
   */
  targetStp: StpParams | false;
  /** AdEx overrides of the transition cells (class Pyr; default b = 0: a coincidence detector, not a state). */
  cellParams: Partial<AdexParams>;
  /**
   * Balanced background of the transition cells (one aggregate per neuron and receptor, as the
   * modules' cells); false: none. Weaker excitation than the pools' Pyr cells: without adaptation
   * (b = 0) the same background would make them fire on their own.
   */
  background: ClassBackground | false;
}

/**
 * A reset input per coupled module: Poisson fibres onto its interneurons. A burst of it recruits
 * PV and SST from rest (their synapses recovered, so at full strength) and silences every pool:
 * the machine returns to idle.
 */
export interface ResetOptions {
  fibres: number;
  inDegree: number;
  gNs: number;
  targets: ('pv' | 'sst')[];
}

export interface WorkingMemoryOptions {
  /** Coupled sWTA modules (≥ 2). */
  modules?: number;
  /** Pools (states) per module (≥ 2). */
  pools?: number;
  /** Pyr cells per pool. */
  poolSize?: number;
  /** Options of every sWTA module, control and transition background included (mismatch, background, gScale …). */
  module?: Omit<SwtaModuleOptions, 'prefix' | 'pools' | 'poolSize'>;
  coupling?: Partial<CouplingOptions>;
  transition?: Partial<TransitionOptions>;
  reset?: Partial<ResetOptions>;
  /** Build the uncoupled control module 'ctrl' (default true). */
  control?: boolean;
  /** Ids of the coupled modules (default 'wm0', 'wm1', …); as many as `modules`. */
  moduleIds?: readonly string[];
  /** Log-normal CV of every synapse's conductances (per-seed weight jitter; 0: none). */
  weightCv?: number;
}

/**
 * The sWTA module of the working-memory network: the module defaults (SWTA_DEFAULTS) with the Pyr
 * background excitation at 0.62 instead of 0.75 nS per event, so that the spontaneous state is a
 * stable attractor next to the up-state (see the header). Spontaneous Pyr 0.3–0.7 Hz with the
 * scenario's 10 % mismatch.
 */
export const WM_MODULE_OPTIONS = {
  background: {
    Pyr: { excitation: { rateHz: 1000, gNs: 0.6 }, inhibition: { rateHz: 1000, gNs: 0.5 } },
  },
} as const satisfies Omit<SwtaModuleOptions, 'prefix' | 'pools' | 'poolSize'>;

/** Fast depression of the coupling [I] (L2/3 Pyr→Pyr pairs depress with U 0.2–0.5 in vitro, §b2): saturates above 1/(U·τ_rec) = 20 Hz. */
const COUPLING_STP: StpParams = { U: 0.5, tauRecMs: 100, tauFacilMs: 0 };

/**
 * Defaults [I], tuned with the open-loop and protocol sweeps described in the header (seeds 1–12,
 * 10 % mismatch); `swta run working-memory` measures them over 20 seeds.
 */
export const WM_DEFAULTS = {
  modules: 2,
  pools: 2,
  poolSize: 80,
  module: WM_MODULE_OPTIONS as Omit<SwtaModuleOptions, 'prefix' | 'pools' | 'poolSize'>,
  /** NMDA only (saturating), 1.1 nS resting peak: 1.0 held the up-state at 34–37 Hz but lost it after a transition's onset burst; 1.2 lifted it above 40 Hz. */
  coupling: { pyrP: 0.3, ampaGNs: 0, nmdaGNs: 1.2, stp: COUPLING_STP, interneuronP: 0, interneuronGNs: 0.5, interneuronTargets: ['pv'], interneuronStp: false } as CouplingOptions,
  transition: {
    size: 40,
    stateP: 0.2,
    stateAmpaGNs: 0,
    stateNmdaGNs: 0.1,
    stateStp: false,
    goFibres: 200,
    goInDegree: 80,
    goGNs: 0.18,
    targetP: 0.3,
    targetAmpaGNs: 0.4,
    targetNmdaGNs: 0.05,
    targetStp: { U: 0.02, tauRecMs: 20, tauFacilMs: 300 },
    cellParams: { bPa: 0 },
    background: { excitation: { rateHz: 1000, gNs: 0.2 }, inhibition: { rateHz: 1000, gNs: 0.5 } },
  } as TransitionOptions,
  reset: { fibres: 100, inDegree: 20, gNs: 2, targets: ['pv', 'sst'] } as ResetOptions,
  control: true,
  weightCv: 0,
} as const;

/**
 * The input pulses the motif was tuned with [I], used by the scenario sessions and the live server
 * alike. A cue is a moderate pulse: 12 Hz per fibre for 300 ms takes the coupled pools over their
 * saddle without an onset burst (> 60 Hz) whose adaptation would end the state again (8 Hz for
 * 400 ms left some seeds in the wrong state). "go" is 20 Hz per fibre, where the transition cells
 * fire only with a state behind them. A reset drives PV and SST (WM_DEFAULTS.reset) and quenches
 * a held state, also in its cue's onset.
 */
export const WM_PULSES = {
  cue: { durationMs: 300, rateHz: 12 },
  go: { durationMs: 200, rateHz: 20 },
  reset: { durationMs: 100, rateHz: 30 },
} as const;

/**
 * 10 % mismatch [I], the variability the motif is validated under: V_T gets N(0, 2 mV) — 10 % of
 * the ≈ 19 mV from E_L to V_T of a Pyr cell —, g_L a log-normal CV of 0.1, and every synapse a
 * log-normal weight with CV 0.1, all drawn from the run's seed.
 */
export const WM_MISMATCH = { vTSdMv: 2, gLCv: 0.1, weightCv: 0.1 } as const;

/** Module ids and the sources and populations a run addresses. */
export interface WorkingMemoryIds {
  /** Coupled modules, in order ('wm0', 'wm1', …). */
  coupled: string[];
  /** The transition module. */
  transition: string;
  /** The uncoupled control module, or null. */
  control: string | null;
  /** sWTA ids per module (coupled and control). */
  swta: Record<string, SwtaModuleIds>;
  /** State k is read from these pools. */
  statePools: { module: string; population: string }[][];
  /** The cue of state k: Poisson input k of every coupled module. */
  cues: { module: string; source: string }[][];
  /** The same input of the control module, per state. */
  controlCues: { module: string; source: string }[];
  /** The reset input of every coupled module. */
  resets: { module: string; source: string }[];
  /** "go to state j": a Poisson source of the transition module. */
  go: { module: string; source: string }[];
  /** Transition populations T_i→j of the transition module, keyed `${i}->${j}`. */
  transitions: Record<string, string>;
  /** The transition module's background sources. */
  transitionBackgrounds: string[];
}

export interface WorkingMemoryNetwork {
  network: Network;
  ids: WorkingMemoryIds;
}

export function workingMemoryNetwork(options: WorkingMemoryOptions = {}): WorkingMemoryNetwork {
  const M = options.modules ?? WM_DEFAULTS.modules;
  const K = options.pools ?? WM_DEFAULTS.pools;
  const poolSize = options.poolSize ?? WM_DEFAULTS.poolSize;
  if (!(Number.isInteger(M) && M >= 2)) throw new RangeError(`workingMemoryNetwork: modules must be an integer ≥ 2 (the coupling needs a partner), got ${M}`);
  if (!(Number.isInteger(K) && K >= 2)) throw new RangeError(`workingMemoryNetwork: pools must be an integer ≥ 2 (one per state), got ${K}`);
  const moduleOptions = { ...WM_DEFAULTS.module, ...options.module };
  const c: CouplingOptions = { ...WM_DEFAULTS.coupling, ...options.coupling };
  const t: TransitionOptions = { ...WM_DEFAULTS.transition, ...options.transition };
  const weightCv = options.weightCv ?? WM_DEFAULTS.weightCv;
  if (!(weightCv >= 0)) throw new RangeError(`workingMemoryNetwork: weightCv must be ≥ 0, got ${weightCv}`);

  const coupled = options.moduleIds ? [...options.moduleIds] : Array.from({ length: M }, (_, m) => `wm${m}`);
  if (coupled.length !== M || new Set([...coupled, 'trans', 'ctrl']).size !== M + 2) {
    throw new RangeError(`workingMemoryNetwork: moduleIds must be ${M} distinct ids other than 'trans' and 'ctrl', got ${JSON.stringify(coupled)}`);
  }
  const trans = 'trans';
  const swta: Record<string, SwtaModuleIds> = {};
  const graphs = new Map<string, Graph>();
  for (const id of coupled) {
    const mod = swtaModule({ ...moduleOptions, pools: K, poolSize, prefix: id });
    swta[id] = mod.ids;
    graphs.set(id, mod.graph);
  }
  const links: ModuleLink[] = [];
  /** A port of `to` fed one-to-one by population `population` of module `from`. */
  const port = (from: string, population: string, size: number, to: string): string => {
    const id = `${to}.x.${population}`;
    graphs.get(to)!.stimuli.push({ kind: 'spikes', id, size } satisfies Stimulus);
    links.push({ id: `${population}->${to}`, from: { module: from, population }, to: { module: to, source: id }, rule: 'oneToOne' });
    return id;
  };

  // Cross-excitation between corresponding pools, every ordered pair of coupled modules.
  for (const a of coupled) {
    for (const b of coupled) {
      if (a === b) continue;
      const g = graphs.get(b)!;
      for (let k = 0; k < K; k++) {
        const src = port(a, swta[a]!.pools[k]!, poolSize, b);
        if (c.ampaGNs > 0 || c.nmdaGNs > 0) g.projections.push(excitation(`${src}->${swta[b]!.pools[k]}`, src, swta[b]!.pools[k]!, c.pyrP, c.ampaGNs, c.nmdaGNs, c.stp));
        if (c.interneuronP > 0 && c.interneuronGNs > 0) {
          for (const role of c.interneuronTargets) {
            const inh = swta[b]![role];
            g.projections.push(excitation(`${src}->${inh}`, src, inh, c.interneuronP, c.interneuronGNs, 0, c.interneuronStp));
          }
        }
      }
    }
  }

  // Reset: one Poisson source per coupled module onto its interneurons.
  const r: ResetOptions = { ...WM_DEFAULTS.reset, ...options.reset };
  const resets = coupled.map((m) => ({ module: m, source: `${m}.reset` }));
  for (const { module: m, source } of resets) {
    const g = graphs.get(m)!;
    g.stimuli.push({ kind: 'poisson', id: source, size: r.fibres, rateHz: 0 });
    for (const role of r.targets) g.projections.push(poissonFibres(`${source}->${swta[m]![role]}`, source, swta[m]![role], Math.min(r.inDegree, r.fibres), r.gNs));
  }

  // Transition neurons: T_i→j = state i AND "go to j".
  const tg: Graph = { name: 'wm-transitions', populations: [], projections: [], stimuli: [], probes: [] };
  graphs.set(trans, tg);
  const transitions: Record<string, string> = {};
  const go = Array.from({ length: K }, (_, j) => ({ module: trans, source: `${trans}.go${j}` }));
  for (const g of go) tg.stimuli.push({ kind: 'poisson', id: g.source, size: t.goFibres, rateHz: 0 });
  const mismatch = moduleOptions.mismatch ? { mismatch: { ...moduleOptions.mismatch } } : {};
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      if (i === j) continue;
      const id = `${trans}.t${i}to${j}`;
      transitions[`${i}->${j}`] = id;
      tg.populations.push({ id, size: t.size, cell: 'Pyr', params: { ...t.cellParams }, ...mismatch });
      tg.projections.push(poissonFibres(`${go[j]!.source}->${id}`, go[j]!.source, id, Math.min(t.goInDegree, t.goFibres), t.goGNs));
    }
  }
  for (const m of coupled) {
    for (let i = 0; i < K; i++) {
      const src = port(m, swta[m]!.pools[i]!, poolSize, trans);
      for (let j = 0; j < K; j++) {
        if (i !== j) tg.projections.push(excitation(`${src}->${transitions[`${i}->${j}`]}`, src, transitions[`${i}->${j}`]!, t.stateP, t.stateAmpaGNs, t.stateNmdaGNs, t.stateStp));
      }
    }
    for (const [key, tId] of Object.entries(transitions)) {
      const j = Number(key.split('->')[1]);
      const src = port(trans, tId, t.size, m);
      graphs.get(m)!.projections.push(excitation(`${src}->${swta[m]!.pools[j]}`, src, swta[m]!.pools[j]!, t.targetP, t.targetAmpaGNs, t.targetNmdaGNs, t.targetStp));
    }
  }
  const transitionBackgrounds: string[] = [];
  if (t.background) {
    for (const p of tg.populations) {
      const bg = perNeuronBackground({ id: p.id, size: p.size, cell: 'Pyr' }, t.background);
      transitionBackgrounds.push(...bg.sources);
      tg.stimuli.push(...bg.stimuli);
      tg.projections.push(...bg.projections);
    }
  }
  const bg = moduleOptions.sharedBackground;
  if (bg && bg.rateHz > 0) {
    const id = `${trans}.bg`;
    transitionBackgrounds.push(id);
    tg.stimuli.push({ kind: 'poisson', id, size: 200, rateHz: bg.rateHz });
    for (const p of tg.populations) tg.projections.push(poissonFibres(`${id}->${p.id}`, id, p.id, bg.inDegree, bg.gNs));
  }

  let control: string | null = null;
  if (options.control ?? WM_DEFAULTS.control) {
    control = 'ctrl';
    const mod = swtaModule({ ...moduleOptions, pools: K, poolSize, prefix: control });
    swta[control] = mod.ids;
    graphs.set(control, mod.graph);
  }

  if (weightCv > 0) {
    for (const g of graphs.values()) for (const p of g.projections) p.weightSpread ??= { logNormalCv: weightCv };
  }
  const modules: NetworkModule[] = [...graphs].map(([id, graph]) => ({ id, graph }));
  const ids: WorkingMemoryIds = {
    coupled,
    transition: trans,
    control,
    swta,
    statePools: Array.from({ length: K }, (_, k) => coupled.map((m) => ({ module: m, population: swta[m]!.pools[k]! }))),
    cues: Array.from({ length: K }, (_, k) => coupled.map((m) => ({ module: m, source: swta[m]!.inputs[k]! }))),
    controlCues: control ? Array.from({ length: K }, (_, k) => ({ module: control!, source: swta[control!]!.inputs[k]! })) : [],
    resets,
    go,
    transitions,
    transitionBackgrounds,
  };
  return { network: { name: 'working-memory', modules, links }, ids };
}

/** Excitatory synapses from a port onto a population: AMPA (Pyr→Pyr kinetics, §b1) and NMDA (receptor defaults), each left out at 0 nS. */
function excitation(id: string, pre: string, post: string, p: number, ampaGNs: number, nmdaGNs: number, stp: StpParams | false): Projection {
  return {
    id,
    pre,
    post,
    connect: { rule: 'fixedProbability', p },
    components: [
      ...(ampaGNs > 0 ? [{ receptor: 'AMPA' as const, gNs: ampaGNs, tauRiseMs: 0.3, tauDecayMs: 3 }] : []),
      ...(nmdaGNs > 0 ? [{ receptor: 'NMDA' as const, gNs: nmdaGNs }] : []),
    ],
    delayMs: 1,
    ...(stp ? { stp: { ...stp } } : {}),
  };
}

