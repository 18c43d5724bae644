import { isCellClass, type CellClass } from '../celltypes/l23.ts';
import type { Graph } from '../graph/types.ts';
import { perNeuronBackground, SWTA_DEFAULTS } from '../motifs/swta-module.ts';
import type { Hertz } from '../units.ts';
import { projectionEfficacies, STP_REF_HZ, stpSteadyFactor, type Efficacy } from './synaptic-efficacy.ts';

/**
 * A graph as a network of linear-threshold units, one per population (docs/reference/swta-and-truenorth.md §4,
 * §5.5): the mean-field model the TrueNorth mapping realizes, since a TrueNorth neuron with linear
 * reset, a leak and a floor at 0 is exactly such a unit.
 *
 *   r_P = min(maxHz, [ b_c + Σ_{Q→P} σ_QP · g_c^{G(Q→P)} · e_QP · r_Q ]₊)       c = class of P
 *
 * e_QP is the projection's efficacy from the graph (synaptic-efficacy.ts), σ = +1 for excitatory
 * and −1 for inhibitory projections, G the gain key of the projection (below), and g_c^G, b_c the
 * calibrated gains and bias of the class: the gain matching fits only these, per class, so the
 * calibration carries over to any graph made of the same classes (other pool counts, coupled
 * modules).
 *
 * Axon-type groups (a TrueNorth core has 4 axon types, so a neuron has at most 4 presynaptic
 * weights): 0 = excitation (inputs, pyramidal recurrence, context drives); 1 = PV
 * (feedforward inhibition); 2 = SST (feedback inhibition); 3 = VIP and LAMP5 (disinhibition onto
 * SST, slow normalization onto the pools) and any other inhibitory source.
 */
export type AxonGroup = 0 | 1 | 2 | 3;

/**
 * Gain keys: the four axon groups, plus 4 = recurrent excitation (an excitatory projection from a
 * population of the postsynaptic population's own class, e.g. Pyr → Pyr). Recurrence rides on axon
 * type 0 like all excitation, with its own fan-in, but has its own gain: the loop gain α of the
 * sWTA is not the feedforward input gain times a charge ratio.
 */
export type GainKey = AxonGroup | 4;
export const GAIN_KEY_NAMES = ['excitation', 'PV', 'SST', 'VIP/LAMP5', 'recurrent excitation'] as const;

/**
 * Calibrated gain per gain key (Hz of output per fC of efficacy·Hz of input) and bias (Hz), and
 * two optional shapes of the class's transfer (docs/truenorth-mapping.md §3):
 *  - `limiter`: each pyramidal population Q driving the class (gain key 0, or 4 for Pyr) also drives
 *    a limiter relay [r_Q − kinkHz]₊ that inhibits the population with gain·e_QP: the pyramidal
 *    synapse's drive bends (concave) above kinkHz of presynaptic rate, as a depressing or
 *    saturating synapse does, per presynaptic population;
 *  - `footHz`: the population's neurons have thresholds spread uniformly over ±footHz of drive, so
 *    its mean rate is the convex foot F(a) = (a + w)²/4w for |a| < w (a otherwise, 0 below −w).
 */
export interface ClassGains {
  gains: [number, number, number, number, number];
  biasHz: number;
  limiter?: { gain: number; kinkHz: Hertz };
  footHz?: Hertz;
}

export type ClassKey = CellClass | 'custom';

export interface LtuTerm {
  projection: string;
  pre: string;
  /** Index of the presynaptic population among units, or −1 for a stimulus. */
  preUnit: number;
  group: AxonGroup;
  gainKey: GainKey;
  sign: 1 | -1;
  efficacy: number;
  /**
   * 'relay': the drive of a limiter relay from its pyramidal population (coefficient 1 Hz/Hz);
   * 'limiter': a relay's inhibition of the population (coefficient −limiter.gain · efficacy);
   * 'saturation': a saturation relay L = [r − θ]₊ inhibiting its saturated copy S (coefficient −1);
   * 'saturated': the population's term from S = min(r, θ) in place of a depressing port's term
   * (coefficient as the port's: σ · g^key · efficacy).
   */
  kind?: 'relay' | 'limiter' | 'saturation' | 'saturated';
}

export interface LtuUnit {
  id: string;
  cls: ClassKey;
  size: number;
  terms: LtuTerm[];
  /** A limiter relay (no population of the graph): its bias is −kinkHz of its class's limiter. */
  relay?: boolean;
  /** A saturation relay's own kink (Hz of presynaptic rate; 0 for S), instead of its class limiter's. */
  kinkHz?: Hertz;
  /**
   * Depth of the realized neurons' floor below 0, in thresholds α (beta = floorAlphas·α; default 0,
   * the floor of the calibrated units). S (a difference of two large rates) banks inhibition that
   * arrives while V is below 0 (SATURATED_COPY_FLOOR_ALPHAS).
   */
  floorAlphas?: number;
  /**
   * The population's background minus its class's calibrated one (fC·Hz of drive per neuron,
   * excitation and inhibition): added to the class bias through the gains of the keys a source's
   * excitation (0) and inhibition (3) ride on; absent or 0 for a population at the class default.
   */
  backgroundOffset?: { excitationFcHz: number; inhibitionFcHz: number };
}

/** Floor depth of a saturated copy S in thresholds (LtuUnit.floorAlphas): S loses no L spike unless 8 arrive in excess. */
export const SATURATED_COPY_FLOOR_ALPHAS = 8;

/** Neurons of a limiter relay population (as many as the smallest interneuron population of the module). */
export const RELAY_SIZE = 16;

export interface LtuNetwork {
  units: LtuUnit[];
  /** Stimulus ids read by some term. */
  sources: string[];
  maxHz: number;
}

/** The axon-type group of a projection (see the header). */
export function axonGroup(e: Efficacy, preClass: ClassKey | undefined): AxonGroup {
  if (e.excitatory) return 0;
  if (preClass === 'PV') return 1;
  if (preClass === 'SST') return 2;
  return 3;
}

/** Id of the limiter relay from pyramidal population `pre` onto population `post`. */
export function relayId(pre: string, post: string): string {
  return `${post}.limiter.${pre}`;
}

/** Classes whose gains carry a limiter (their populations get limiter relays in ltuNetwork). */
export function limitedClasses(gains: GainsByClass): ClassKey[] {
  return (Object.keys(gains) as ClassKey[]).filter((c) => (gains[c]?.limiter?.gain ?? 0) > 0);
}

/** Ticks per second of the chip the units stand for (1 tick = 1 ms). */
const TICKS_PER_S = 1000;

/**
 * The graph's background aggregates: Poisson sources at ≥ 1 spike per tick (1 kHz), each fibre
 * driving one neuron (one-to-one). On TrueNorth such a source is a spike on every tick, a constant
 * drive without fluctuation, so it is no term of the units: its mean is part of the class bias b_c
 * (the neuron's leak λ) and its smoothing of the transfer curve part of the class's foot
 * (docs/truenorth-mapping.md §9). A population whose background differs from its class default
 * gets the difference in its bias (backgroundOffset, §10).
 */
export function backgroundSources(graph: Graph): Set<string> {
  const out = new Set<string>();
  for (const s of graph.stimuli) {
    if (s.kind !== 'poisson' || s.rateHz < TICKS_PER_S) continue;
    const from = graph.projections.filter((p) => p.pre === s.id);
    if (from.length > 0 && from.every((p) => p.connect.rule === 'oneToOne')) out.add(s.id);
  }
  return out;
}

export function ltuNetwork(graph: Graph, options: { maxHz?: Hertz; stpRefHz?: Hertz; limited?: readonly ClassKey[] } = {}): LtuNetwork {
  const index = new Map(graph.populations.map((p, i) => [p.id, i]));
  const background = backgroundSources(graph);
  const eff = projectionEfficacies(graph, options.stpRefHz === undefined ? {} : { stpRefHz: options.stpRefHz }).filter((e) => !background.has(e.pre));
  const units: LtuUnit[] = graph.populations.map((p) => {
    const off = backgroundOffset(graph, p.id, background);
    return { id: p.id, cls: p.cell, size: p.size, terms: [], ...(off ? { backgroundOffset: off } : {}) };
  });
  const sources = new Set<string>();
  for (const e of eff) {
    const preUnit = index.get(e.pre) ?? -1;
    if (preUnit < 0) sources.add(e.pre);
    const preClass = preUnit >= 0 ? units[preUnit]!.cls : undefined;
    const post = units[index.get(e.post)!]!;
    const group = axonGroup(e, preClass);
    post.terms.push({
      projection: e.projection,
      pre: e.pre,
      preUnit,
      group,
      gainKey: group === 0 && preClass === post.cls ? 4 : group,
      sign: e.excitatory ? 1 : -1,
      efficacy: e.efficacy,
    });
  }
  const refHz = options.stpRefHz ?? STP_REF_HZ;
  const portSize = (id: string): number => {
    const st = graph.stimuli.find((x) => x.id === id);
    return st && st.kind !== 'current' ? st.size : RELAY_SIZE;
  };
  const portStp = new Map(graph.projections.filter((pr) => pr.stp && graph.stimuli.some((st) => st.id === pr.pre && st.kind === 'spikes')).map((pr) => [pr.id, pr.stp!]));
  const limited = new Set(options.limited ?? []);
  const n = units.length;
  for (let i = 0; i < n; i++) {
    const post = units[i]!;
    for (const t of post.terms) {
      const stp = portStp.get(t.projection);
      if (!stp || t.sign < 0) continue;
      const kinkHz = depressionKinkHz(stp);
      if (kinkHz === null) continue;
      // The resting efficacy: the term's was frozen at refHz.
      t.efficacy /= stpSteadyFactor(stp, refHz);
      // L = [r − θ]₊, then S = [r − L]₊ = min(r, θ); the population hears S instead of the port.
      const port = t.pre;
      const lId = relayId(port, post.id);
      const sId = `${lId}.min`;
      units.push({ id: lId, cls: post.cls, size: RELAY_SIZE, relay: true, kinkHz, terms: [{ projection: `${port}->${lId}`, pre: port, preUnit: -1, group: 0, gainKey: 0, sign: 1, efficacy: 1, kind: 'relay' }] });
      // S as large as the port: a population that hears a few relay neurons fires in lockstep.
      units.push({
        id: sId, cls: post.cls, size: portSize(port), relay: true, kinkHz: 0, floorAlphas: SATURATED_COPY_FLOOR_ALPHAS,
        terms: [
          { projection: `${port}->${sId}`, pre: port, preUnit: -1, group: 0, gainKey: 0, sign: 1, efficacy: 1, kind: 'relay' },
          { projection: `${lId}->${sId}`, pre: lId, preUnit: units.length - 1, group: 1, gainKey: 1, sign: -1, efficacy: 1, kind: 'saturation' },
        ],
      });
      sources.add(port);
      t.projection = `${sId}->${post.id}`;
      t.pre = sId;
      t.preUnit = units.length - 1;
      t.kind = 'saturated';
    }
  }
  for (let i = 0; i < n; i++) {
    const post = units[i]!;
    if (!limited.has(post.cls)) continue;
    for (const t of [...post.terms]) {
      if (t.kind || (t.gainKey !== 0 && t.gainKey !== 4) || t.preUnit < 0 || units[t.preUnit]!.cls !== 'Pyr') continue;
      const id = relayId(t.pre, post.id);
      units.push({
        id,
        cls: post.cls,
        size: RELAY_SIZE,
        relay: true,
        terms: [{ projection: `${t.pre}->${id}`, pre: t.pre, preUnit: t.preUnit, group: 0, gainKey: 0, sign: 1, efficacy: 1, kind: 'relay' }],
      });
      post.terms.push({ projection: `${id}->${post.id}`, pre: id, preUnit: units.length - 1, group: 1, gainKey: 1, sign: -1, efficacy: t.efficacy, kind: 'limiter' });
    }
  }
  return { units, sources: [...sources], maxHz: options.maxHz ?? 1000 };
}

/** The coefficient of one term under a class's gains (Hz of P per Hz of Q). */
export function termCoefficient(t: LtuTerm, g: ClassGains): number {
  if (t.kind === 'relay') return t.efficacy;
  if (t.kind === 'limiter') return -(g.limiter?.gain ?? 0) * t.efficacy;
  if (t.kind === 'saturation') return -t.efficacy;
  return t.sign * g.gains[t.gainKey] * t.efficacy;
}

/**
 * The bias of a unit (Hz): its class's bias plus its background offset, −kinkHz for a saturation
 * relay, or −kinkHz of the class limiter for a limiter relay.
 */
export function unitBias(u: LtuUnit, g: ClassGains): number {
  if (u.relay) return -(u.kinkHz ?? g.limiter?.kinkHz ?? 0);
  const off = u.backgroundOffset;
  return g.biasHz + (off ? g.gains[0] * off.excitationFcHz - g.gains[3] * off.inhibitionFcHz : 0);
}

/**
 * Kink of the saturation relay of a depressing port projection (Hz of presynaptic rate), or null
 * for a facilitating one. A depressing synapse's mean drive per unit of its resting efficacy is
 * r·A(r) (A = 1 at rest, stpSteadyFactor); its two asymptotes are r (r → 0) and the ceiling
 * 1000/(U·τ_rec) Hz (r → ∞: the resources recover at 1/τ_rec and each spike uses a fraction U).
 * The realized drive is min(r, θ) times the resting efficacy, the two asymptotes meeting at
 * θ = 1000/(U·τ_rec) (docs/truenorth-mapping.md §10).
 */
export function depressionKinkHz(stp: { U: number; tauRecMs: number; tauFacilMs: number }): Hertz | null {
  if (stp.tauFacilMs > 0 || !(stp.U > 0 && stp.tauRecMs > 0)) return null;
  return 1000 / (stp.U * stp.tauRecMs);
}

/**
 * Background of population `id` (its ≥ 1 kHz one-to-one aggregates) minus the class default the
 * calibration saw (SWTA_DEFAULTS.background), as mean drive e·r per neuron (fC·Hz), split into
 * excitation and inhibition; null when they are equal, when the population has no background
 * aggregates (a graph outside the calibrated family keeps the class bias) or no class default.
 */
function backgroundOffset(graph: Graph, id: string, background: ReadonlySet<string>): { excitationFcHz: number; inhibitionFcHz: number } | null {
  const pop = graph.populations.find((p) => p.id === id)!;
  if (!isCellClass(pop.cell)) return null;
  const own = graph.projections.filter((pr) => pr.post === id && background.has(pr.pre));
  if (own.length === 0) return null;
  const rate = new Map(graph.stimuli.map((st) => [st.id, st.kind === 'poisson' ? st.rateHz : 0]));
  const drive = (g: Graph, rates: ReadonlyMap<string, number>): [number, number] => {
    const out: [number, number] = [0, 0];
    for (const e of projectionEfficacies(g)) out[e.excitatory ? 0 : 1] += e.efficacy * (rates.get(e.pre) ?? 0);
    return out;
  };
  const [ex, inh] = drive({ ...graph, projections: own }, rate);
  const ref = perNeuronBackground({ id, size: pop.size, cell: pop.cell }, SWTA_DEFAULTS.background[pop.cell]);
  const refRates = new Map(ref.stimuli.map((st) => [st.id, st.kind === 'poisson' ? st.rateHz : 0]));
  const [exRef, inhRef] = drive({ ...graph, stimuli: [...graph.stimuli.filter((st) => !refRates.has(st.id)), ...ref.stimuli], projections: ref.projections }, refRates);
  const dE = ex - exRef;
  const dI = inh - inhRef;
  return Math.abs(dE) < 1e-9 * Math.max(1, exRef) && Math.abs(dI) < 1e-9 * Math.max(1, inhRef) ? null : { excitationFcHz: dE, inhibitionFcHz: dI };
}

/** A unit's rate at drive a (Hz): the rectifier, with the class's convex foot (not for relays). */
export function unitOutput(u: LtuUnit, g: ClassGains, a: number, maxHz: number): number {
  const w = u.relay ? 0 : g.footHz ?? 0;
  const r = w > 0 && Math.abs(a) < w ? ((a + w) * (a + w)) / (4 * w) : Math.max(0, a);
  return Math.min(maxHz, r);
}

export type GainsByClass = Partial<Record<ClassKey, ClassGains>>;

function gainsOf(gains: GainsByClass, cls: ClassKey, id: string): ClassGains {
  const g = gains[cls];
  if (!g) throw new Error(`no calibrated gains for class '${cls}' (population '${id}'); run: npx swta run gain-matching --save`);
  return g;
}

/**
 * Steady state from rest: Euler steps of τ dr/dt = −r + f(a(r)) (step η = dt/τ) from r = 0 until
 * the largest change is below `tolHz`, then, on the active set found, the exact linear solve.
 * Starting from rest selects the attractor a run from reset reaches (the model can be multistable).
 */
export function steadyRates(net: LtuNetwork, gains: GainsByClass, sourcesHz: Readonly<Record<string, number>>, options: { eta?: number; maxIter?: number; tolHz?: number } = {}): Float64Array {
  const eta = options.eta ?? 0.1;
  const maxIter = options.maxIter ?? 20000;
  const tol = options.tolHz ?? 1e-7;
  const n = net.units.length;
  const r = new Float64Array(n);
  const ext = new Float64Array(n);
  const coef = net.units.map((u) => {
    const g = gainsOf(gains, u.cls, u.id);
    return u.terms.map((t) => termCoefficient(t, g));
  });
  const classGains = net.units.map((u) => gainsOf(gains, u.cls, u.id));
  net.units.forEach((u, i) => {
    let a = unitBias(u, classGains[i]!);
    u.terms.forEach((t, k) => {
      if (t.preUnit < 0) a += coef[i]![k]! * (sourcesHz[t.pre] ?? 0);
    });
    ext[i] = a;
  });
  const drive = (i: number, rates: Float64Array): number => {
    let a = ext[i]!;
    const terms = net.units[i]!.terms;
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k]!;
      if (t.preUnit >= 0) a += coef[i]![k]! * rates[t.preUnit]!;
    }
    return a;
  };
  for (let it = 0; it < maxIter; it++) {
    let change = 0;
    for (let i = 0; i < n; i++) {
      const target = unitOutput(net.units[i]!, classGains[i]!, drive(i, r), net.maxHz);
      const d = eta * (target - r[i]!);
      r[i] = r[i]! + d;
      change = Math.max(change, Math.abs(d));
    }
    if (change < tol) break;
  }
  return r;
}

/**
 * d r / d θ at a steady state, by implicit differentiation: with slope s_i = 1 on the active set
 * (0 < r < maxHz) and 0 elsewhere, (I − S C) dr = S ∂a/∂θ. `dA[i][p]` = ∂a_i/∂θ_p at fixed rates;
 * returns dr[i][p]. `leak` gives silent units that should fire (`wantsActive[i]`) a small slope
 * instead of 0, so that a fit can bring them back over threshold (the rectifier's gradient is
 * otherwise zero there).
 */
export function steadyStateJacobian(net: LtuNetwork, gains: GainsByClass, rates: Float64Array, dA: number[][], options: { leak?: number; wantsActive?: readonly boolean[] } = {}): number[][] {
  const n = net.units.length;
  const slope = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (rates[i]! > 1e-9 && rates[i]! < net.maxHz - 1e-9) slope[i] = 1;
    else if (rates[i]! <= 1e-9 && options.wantsActive?.[i]) slope[i] = options.leak ?? 0;
  }
  const active: number[] = [];
  for (let i = 0; i < n; i++) if (slope[i]! > 0) active.push(i);
  const m = active.length;
  const P = dA[0]?.length ?? 0;
  const out = Array.from({ length: n }, () => new Array<number>(P).fill(0));
  if (m === 0) return out;
  const pos = new Map(active.map((i, k) => [i, k]));
  // M = I − S C restricted to the units with a slope; right-hand sides S dA.
  const M = active.map((i, a) => {
    const row = new Array<number>(m).fill(0);
    row[a] = 1;
    const g = gainsOf(gains, net.units[i]!.cls, net.units[i]!.id);
    for (const t of net.units[i]!.terms) {
      const b = t.preUnit >= 0 ? pos.get(t.preUnit) : undefined;
      if (b !== undefined) row[b] = row[b]! - slope[i]! * termCoefficient(t, g);
    }
    return row;
  });
  const rhs = active.map((i) => dA[i]!.map((d) => slope[i]! * d));
  const x = solveLinear(M, rhs);
  active.forEach((i, a) => {
    out[i] = x[a]!;
  });
  return out;
}

/** Gaussian elimination with partial pivoting: solves M X = B (B has several columns). */
export function solveLinear(M: number[][], B: number[][]): number[][] {
  const n = M.length;
  const a = M.map((row) => [...row]);
  const b = B.map((row) => [...row]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    const piv = a[c]![c]!;
    if (Math.abs(piv) < 1e-12) throw new Error('singular system in the LTU steady-state Jacobian (a loop with gain 1)');
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r]![k] = a[r]![k]! - f * a[c]![k]!;
      for (let k = 0; k < b[r]!.length; k++) b[r]![k] = b[r]![k]! - f * b[c]![k]!;
    }
  }
  return b.map((row, r) => row.map((v) => v / a[r]![r]!));
}
