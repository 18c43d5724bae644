import { ADEX_PARAM_NAMES, type AdexParams } from '../../src/celltypes/adex.ts';
import { L23_CELL_TYPES } from '../../src/celltypes/l23.ts';
import { TICK_MS, type Engine, type ProbeData, type SpikeFrame, type SpikeInput } from '../../src/engine.ts';
import type { Graph, Population, Probe, Projection, Stimulus } from '../../src/graph/types.ts';
import { validate } from '../../src/graph/validate.ts';
import type { Random } from '../../src/random.ts';
import { populationStream, projectionStream, sourceStream } from '../../src/random-streams.ts';
import { NMDA_SPIKE_INCREMENT } from '../../src/synapses/nmda.ts';
import { biexpPeakNorm, MG_CONCENTRATION_MM, RECEPTOR_DEFAULTS, type Receptor } from '../../src/synapses/receptors.ts';
import { buildCsr, logNormalWeights, type Csr } from './connectivity.ts';
import { generatePopulationKernel, type PopulationKernel } from './codegen.ts';
import { TWO_J_N, TWO_M } from './fast-exp.ts';
import { GrowableFloat64, GrowableInt32 } from '../shared/growable.ts';
import { notAPoissonSource, PoissonRate, SpikeReplay } from '../shared/stimulus.ts';
import { emitKernels } from './wasm-emit.ts';
import { WasmHeap, type HotArray } from './wasm-heap.ts';
import { instantiateKernels, type StepKernels } from './wasm-instance.ts';
import {
  advanceChannel, deliverSpikes, flushTiny, integrateAdex,
  type AdexConstants, type ChannelState, type DeliveryTarget, type NeuronArrays, type SaturationState, type StpState,
} from './kernel.ts';

/** The engine's kernels: see CompileOptions.kernel. */
export type KernelKind = 'wasm' | 'fused' | 'reference';
export const KERNEL_KINDS: readonly KernelKind[] = ['wasm', 'fused', 'reference'];

export interface CompileOptions {
  /**
   * 'wasm' (default): the per-step work as one generated WebAssembly module (wasm-emit.ts), the
   * engine's state in its memory; 'fused': generated per-population JS kernels (codegen.ts);
   * 'reference': the generic JS kernels of kernel.ts, for checking and reading. All three give
   * bit-identical results.
   */
  kernel?: KernelKind;
  /** With kernel 'wasm': two neurons per instruction (f64x2 SIMD) in the population kernels. Default true. */
  simd?: boolean;
  /** Integration step (ms); must divide the 1 ms tick. Default 0.1 ms. */
  dtMs?: number;
  /**
   * The engine's one seed (default 1). Every projection (connectivity, weights), population
   * (mismatch, initial V) and Poisson source (spikes) draws from its own stream derived from it by
   * id (src/random-streams.ts), so removing or changing one element changes nothing else: not the
   * other projections' synapses, the other populations' neurons, nor the other sources' spikes.
   */
  seed?: number;
}

interface PopulationRuntime {
  id: string;
  constants: AdexConstants;
  channels: ChannelState[];
  /** Receptor of each channel, for 'g' probes. */
  channelReceptors: Receptor[];
  /** Per channel: is it the first to feed its sum (plain or Mg-blocked)? See advanceChannel. */
  channelOverwrites: boolean[];
  /** The synaptic state and the arrival ring all channels share (layoutSynapses). */
  synState: Float64Array;
  synRing: Float64Array;
  /** The fused kernel, generated after all projections are built (null with kernel: 'reference'). */
  fused: PopulationKernel | null;
  /** Sums that no channel feeds and must stay zero. */
  clearPlainSums: boolean;
  clearNmdaSums: boolean;
  /** Spikes of the current integration step (local indices). */
  stepSpikes: Int32Array;
  stepCount: number;
  /** Spikes of the current tick, returned in the frame. */
  tickSpikes: Int32Array;
  tickCount: number;
  outgoing: ProjectionRuntime[];
}

interface SourceRuntime {
  id: string;
  rng: Random;
  /** The stream's state before its first draw, restored by reset(). */
  rngInitial: [number, number, number, number, number];
  kind: 'poisson' | 'spikes';
  size: number;
  /** A Poisson source's rate and schedule; null for 'spikes'. */
  rate: PoissonRate | null;
  /** A 'spikes' source's replay list (by integration step); null for 'poisson'. */
  replay: SpikeReplay | null;
  /** Injected spikes waiting for step 0 of the tick. */
  injected: Int32Array;
  injectedCount: number;
  stepSpikes: Int32Array;
  stepCount: number;
  tickCount: number;
  outgoing: ProjectionRuntime[];
}

interface ProjectionRuntime {
  id: string;
  csr: Csr;
  delaySteps: number;
  targets: DeliveryTarget[];
  stp: StpState | null;
}

interface CurrentRuntime {
  neurons: Int32Array;
  segments: { startStep: number; endStep: number; fromPa: number; toPa: number }[];
  appliedPa: number;
}

interface ProbeRuntime {
  probe: Probe;
  pop: PopulationRuntime | null;
  source: SourceRuntime | null;
  offset: number;
  neurons: Int32Array;
  times: GrowableFloat64;
  indices: GrowableInt32;
  counts: GrowableInt32;
  samples: GrowableFloat64;
  ticks: number;
}

/** See ConductanceEngine.structure(). */
export interface EngineStructure {
  dtMs: number;
  populations: { id: string; vTMv: number[]; gLNs: number[]; vInitMv: number[] }[];
  projections: { id: string; pre: number[]; post: number[]; weight: number[] | null; delaySteps: number }[];
}

/** Resolve a population's AdEx parameters: class defaults, then overrides. */
export function resolveParams(p: Population): AdexParams {
  const base = p.cell === 'custom' ? ({} as AdexParams) : { ...L23_CELL_TYPES[p.cell].params };
  const merged = { ...base, ...(p.params ?? {}) } as AdexParams;
  for (const k of ADEX_PARAM_NAMES) {
    if (typeof merged[k] !== 'number') throw new Error(`population '${p.id}': parameter ${k} is missing`);
  }
  return merged;
}

/**
 * The conductance backend: AdEx neurons with bi-exponential receptor conductances, CSR
 * connectivity, ring-buffer delays, Tsodyks–Markram STP and saturating NMDA gating. See kernel.ts
 * for the per-step order.
 */
export class ConductanceEngine implements Engine {
  readonly backend = 'conductance';
  readonly graph: Graph;
  readonly dtMs: number;
  readonly stepsPerTick: number;
  private tickCount = 0;
  private readonly seed: number;
  private readonly neurons: NeuronArrays;
  private readonly pops: PopulationRuntime[] = [];
  private readonly sources: SourceRuntime[] = [];
  private readonly sourceById = new Map<string, SourceRuntime>();
  private readonly projectionById = new Map<string, ProjectionRuntime>();
  private readonly currents: CurrentRuntime[] = [];
  private readonly probes = new Map<string, ProbeRuntime>();
  private readonly spikeProbes: ProbeRuntime[] = [];
  /** The probes recorded once per tick (rate, v, w, g): an array, since a Map's iterator is a heap object per tick. */
  private readonly tickProbes: ProbeRuntime[] = [];
  private readonly initialV: Float64Array;
  private readonly frame: SpikeFrame;
  /** The WebAssembly kernels and their count words (kernel 'wasm'), else null. */
  private readonly wasm: { kernels: StepKernels; populationCounts: Int32Array; sourceCounts: Int32Array; badNeuron: Int32Array } | null = null;
  readonly kernel: KernelKind;

  constructor(graph: Graph, options: CompileOptions = {}) {
    const dtMs = options.dtMs ?? 0.1;
    const stepsPerTick = Math.round(TICK_MS / dtMs);
    if (!(dtMs > 0) || Math.abs(stepsPerTick * dtMs - TICK_MS) > 1e-9) {
      throw new RangeError(`dtMs must divide the ${TICK_MS} ms tick exactly (e.g. 0.1, 0.05, 0.025), got ${dtMs}`);
    }
    this.graph = validate(graph, { dtMs });
    this.dtMs = dtMs;
    this.stepsPerTick = stepsPerTick;
    this.seed = options.seed ?? 1;

    const total = graph.populations.reduce((n, p) => n + p.size, 0);
    const arr = (): Float64Array => new Float64Array(total);
    this.neurons = { v: arr(), w: arr(), vT: arr(), gL: arr(), iExt: arr(), gTot: arr(), gRevSum: arr(), gNmda: arr(), gNmdaRev: arr(), refUntil: arr() };
    this.initialV = arr();

    const popIndex = new Map<string, PopulationRuntime>();
    let offset = 0;
    for (const p of graph.populations) {
      const rt = this.buildPopulation(p, offset);
      this.pops.push(rt);
      popIndex.set(p.id, rt);
      offset += p.size;
    }
    for (const s of graph.stimuli) {
      if (s.kind === 'current') this.currents.push(this.buildCurrent(s, popIndex));
      else this.buildSource(s);
    }
    for (const pr of graph.projections) this.buildProjection(pr, popIndex);
    for (const p of this.pops) layoutSynapses(p);
    for (const pb of graph.probes) this.buildProbe(pb, popIndex);
    for (const pr of this.probes.values()) (pr.probe.kind === 'spikes' ? this.spikeProbes : this.tickProbes).push(pr);
    this.kernel = options.kernel ?? 'wasm';
    if (!KERNEL_KINDS.includes(this.kernel)) throw new RangeError(`kernel must be one of ${KERNEL_KINDS.join(', ')}, got '${String(this.kernel)}'`);
    if (this.kernel === 'fused') {
      for (const p of this.pops) p.fused = generatePopulationKernel(p.constants, p.channels, this.neurons);
    } else if (this.kernel === 'wasm') {
      this.wasm = this.buildWasm(options.simd ?? true);
    }
    this.frame = {
      tick: 0,
      populations: this.pops.map((p) => p.id),
      counts: new Int32Array(this.pops.length),
      indices: this.pops.map((p) => p.tickSpikes),
    };
    this.initialV.set(this.neurons.v);
  }

  get tick(): number {
    return this.tickCount;
  }

  private buildPopulation(p: Population, offset: number): PopulationRuntime {
    const q = resolveParams(p);
    const { v, vT, gL } = this.neurons;
    const vTSd = p.mismatch?.vTSdMv ?? 0;
    const gLCv = p.mismatch?.gLCv ?? 0;
    const rng = populationStream(this.seed, p.id);
    for (let i = offset; i < offset + p.size; i++) {
      vT[i] = q.vTMv + (vTSd > 0 ? vTSd * rng.normal() : 0);
      gL[i] = q.gLNs * (gLCv > 0 ? Math.exp(gLCv * rng.normal() - (gLCv * gLCv) / 2) : 1);
      v[i] = p.vInitMv ? p.vInitMv.fromMv + (p.vInitMv.toMv - p.vInitMv.fromMv) * rng.uniform() : q.eLMv;
    }
    const refractorySteps = Math.round(q.tRefMs / this.dtMs);
    // A neuron can fire at most once per refractory period + 1 step: size the tick buffer for that.
    const maxPerTick = Math.ceil(this.stepsPerTick / Math.max(1, refractorySteps));
    return {
      id: p.id,
      constants: {
        offset, size: p.size, dtMs: this.dtMs, dtOverC: this.dtMs / q.cPf, eLMv: q.eLMv, deltaTMv: q.deltaTMv,
        vRMv: q.vRMv, vPeakMv: q.vPeakMv, aNs: q.aNs, bPa: q.bPa, dtOverTauW: this.dtMs / q.tauWMs,
        refractorySteps, hasNmda: false, mgOver357: MG_CONCENTRATION_MM / 3.57,
      },
      channels: [],
      channelReceptors: [],
      channelOverwrites: [],
      synState: new Float64Array(0),
      synRing: new Float64Array(0),
      fused: null,
      clearPlainSums: true,
      clearNmdaSums: false,
      stepSpikes: new Int32Array(p.size),
      stepCount: 0,
      tickSpikes: new Int32Array(p.size * maxPerTick),
      tickCount: 0,
      outgoing: [],
    };
  }

  private buildSource(s: Exclude<Stimulus, { kind: 'current' }>): void {
    const rng = sourceStream(this.seed, s.id);
    const rt: SourceRuntime = {
      id: s.id, rng, rngInitial: rng.getState(), kind: s.kind, size: s.size,
      rate: s.kind === 'poisson' ? new PoissonRate(s) : null,
      // A replayed spike at t ms acts from the integration step nearest to t.
      replay: s.kind === 'spikes' ? new SpikeReplay(s, (tMs) => Math.round(tMs / this.dtMs)) : null,
      injected: new Int32Array(s.size * this.stepsPerTick), injectedCount: 0,
      stepSpikes: new Int32Array(s.kind === 'spikes' ? Math.max(s.size, s.timesMs?.length ?? 0) + s.size * this.stepsPerTick : s.size),
      stepCount: 0,
      tickCount: 0,
      outgoing: [],
    };
    this.sources.push(rt);
    this.sourceById.set(s.id, rt);
  }

  private buildCurrent(s: Extract<Stimulus, { kind: 'current' }>, pops: Map<string, PopulationRuntime>): CurrentRuntime {
    const pop = pops.get(s.target)!;
    const local = s.neurons ?? Array.from({ length: pop.constants.size }, (_, i) => i);
    return {
      neurons: Int32Array.from(local, (i) => pop.constants.offset + i),
      segments: s.segments.map((g) => ({
        startStep: Math.round(g.startMs / this.dtMs),
        endStep: g.endMs === undefined ? Infinity : Math.round(g.endMs / this.dtMs),
        fromPa: g.fromPa,
        toPa: g.toPa ?? g.fromPa,
      })),
      appliedPa: 0,
    };
  }

  private channelFor(pop: PopulationRuntime, receptor: Receptor, tauRiseMs: number, tauDecayMs: number, eRevMv: number, ringLen: number): ChannelState {
    const mgBlock = RECEPTOR_DEFAULTS[receptor].mgBlock;
    const decayA = Math.exp(-this.dtMs / tauDecayMs);
    const decayB = tauRiseMs > 0 ? Math.exp(-this.dtMs / tauRiseMs) : 0;
    const k = pop.channels.findIndex((c, i) => pop.channelReceptors[i] === receptor && c.decayA === decayA && c.decayB === decayB && c.eRevMv === eRevMv);
    const size = pop.constants.size;
    if (k >= 0) {
      const c = pop.channels[k]!;
      c.ringLen = Math.max(c.ringLen, ringLen);
      return c;
    }
    // Arrays and offsets come with layoutSynapses, once every projection is known; until then
    // ringLen is the length this channel needs.
    const none = new Float64Array(0);
    const ch: ChannelState = {
      size, decayA, decayB, norm: biexpPeakNorm({ tauRiseMs, tauDecayMs }), eRevMv, mgBlock,
      state: none, offA: 0, offB: -1, ring: none, ringLen, ringChannels: 0, ringIndex: -1,
      direct: false, invDecayA: 1 / decayA, invDecayB: decayB > 0 ? 1 / decayB : 0,
    };
    pop.channels.push(ch);
    pop.channelReceptors.push(receptor);
    pop.channelOverwrites.push(mgBlock ? !pop.constants.hasNmda : pop.clearPlainSums);
    if (mgBlock) pop.constants.hasNmda = true;
    else pop.clearPlainSums = false;
    return ch;
  }

  private buildProjection(pr: Projection, pops: Map<string, PopulationRuntime>): void {
    const post = pops.get(pr.post)!;
    const prePop = pops.get(pr.pre);
    const preSource = this.sourceById.get(pr.pre);
    const nPre = prePop ? prePop.constants.size : preSource!.size;
    const rng = projectionStream(this.seed, pr.id);
    const csr = buildCsr(pr.connect, nPre, post.constants.size, pr.pre === pr.post, rng);
    if (pr.weightSpread && pr.weightSpread.logNormalCv > 0) csr.weight = logNormalWeights(csr.post.length, pr.weightSpread.logNormalCv, rng);
    const delaySteps = Math.max(1, Math.round(pr.delayMs / this.dtMs));
    const targets = pr.components.map((c): DeliveryTarget => {
      const d = RECEPTOR_DEFAULTS[c.receptor];
      const tauDecayMs = c.tauDecayMs ?? d.tauDecayMs;
      const channel = this.channelFor(post, c.receptor, c.tauRiseMs ?? d.tauRiseMs, tauDecayMs, c.eRevMv ?? d.eRevMv, delaySteps + 1);
      return { channel, gNs: c.gNs, saturation: c.nmdaModel === 'saturating' ? saturationState(nPre, tauDecayMs, c.nmdaSpikeIncrement ?? NMDA_SPIKE_INCREMENT) : null };
    });
    const stp: StpState | null = pr.stp
      ? { ...pr.stp, u: new Float64Array(nPre).fill(pr.stp.U), r: new Float64Array(nPre).fill(1), lastMs: new Float64Array(nPre).fill(NaN) }
      : null;
    const runtime: ProjectionRuntime = { id: pr.id, csr, delaySteps, targets, stp };
    (prePop ?? preSource!).outgoing.push(runtime);
    this.projectionById.set(pr.id, runtime);
  }

  /**
   * What this engine drew at compile time, as plain data, so that another simulator can run
   * exactly this network (scenarios/brian2/graph-spec.ts): each population's V_T, g_L and initial
   * v per neuron, and each projection's synapses (pre, post, weight factor) and delay in steps.
   */
  structure(): EngineStructure {
    const n = this.neurons;
    const populations = this.pops.map((p) => {
      const { offset, size } = p.constants;
      return { id: p.id, vTMv: Array.from(n.vT.subarray(offset, offset + size)), gLNs: Array.from(n.gL.subarray(offset, offset + size)), vInitMv: Array.from(this.initialV.subarray(offset, offset + size)) };
    });
    const projections = this.graph.projections.map((pr) => {
      const rt = this.projectionById.get(pr.id)!;
      const pre: number[] = [];
      const post: number[] = [];
      const { rowStart, post: targets, weight } = rt.csr;
      for (let i = 0; i + 1 < rowStart.length; i++) {
        for (let k = rowStart[i]!; k < rowStart[i + 1]!; k++) {
          pre.push(i);
          post.push(targets[k]!);
        }
      }
      return { id: pr.id, pre, post, weight: weight ? Array.from(weight) : null, delaySteps: rt.delaySteps };
    });
    return { dtMs: this.dtMs, populations, projections };
  }

  private buildProbe(pb: Probe, pops: Map<string, PopulationRuntime>): void {
    const pop = pops.get(pb.target) ?? null;
    const source = this.sourceById.get(pb.target) ?? null;
    const size = pop ? pop.constants.size : source!.size;
    this.probes.set(pb.id, {
      probe: pb, pop, source, offset: pop ? pop.constants.offset : 0,
      neurons: Int32Array.from(pb.neurons ?? Array.from({ length: size }, (_, i) => i)),
      times: new GrowableFloat64(), indices: new GrowableInt32(), counts: new GrowableInt32(), samples: new GrowableFloat64(), ticks: 0,
    });
  }

  step(inbound?: readonly SpikeInput[]): SpikeFrame {
    if (inbound) for (const input of inbound) this.inject(input);
    const firstStep = this.tickCount * this.stepsPerTick;
    this.updateRates(this.tickCount * TICK_MS);
    for (const p of this.pops) p.tickCount = 0;
    for (const src of this.sources) src.tickCount = 0;
    const n = this.neurons;
    const pops = this.pops;
    const wasm = this.wasm;
    for (let s = 0; s < this.stepsPerTick; s++) {
      const step = firstStep + s;
      const tMs = step * this.dtMs;
      this.applyCurrents(step);
      if (wasm !== null) {
        this.wasmStep(wasm, step, s);
        continue;
      }
      for (let k = 0; k < pops.length; k++) {
        const p = pops[k]!;
        try {
          if (p.fused !== null) {
            p.stepCount = p.fused(step, p.stepSpikes);
          } else {
            const offset = p.constants.offset;
            for (let c = 0; c < p.channels.length; c++) {
              advanceChannel(p.channels[c]!, step, offset, p.channelOverwrites[c]!, n.gTot, n.gRevSum, n.gNmda, n.gNmdaRev);
            }
            p.stepCount = integrateAdex(p.constants, n, step, p.stepSpikes);
          }
        } catch (e) {
          throw new RangeError(`population '${p.id}' at t = ${tMs.toFixed(3)} ms: ${(e as Error).message}`);
        }
        for (let k = 0; k < p.stepCount; k++) p.tickSpikes[p.tickCount++] = p.stepSpikes[k]!;
      }
      for (let k = 0; k < this.sources.length; k++) this.generateSourceSpikes(this.sources[k]!, step, s);
      for (let k = 0; k < pops.length; k++) {
        const p = pops[k]!;
        if (p.stepCount > 0) this.propagate(p.outgoing, p.stepSpikes, p.stepCount, step, tMs);
      }
      for (let k = 0; k < this.sources.length; k++) {
        const src = this.sources[k]!;
        if (src.stepCount > 0) this.propagate(src.outgoing, src.stepSpikes, src.stepCount, step, tMs);
      }
      if (this.spikeProbes.length > 0) this.recordStepSpikes(tMs);
    }
    if (wasm !== null) {
      wasm.kernels.flush();
    } else {
      for (let k = 0; k < pops.length; k++) {
        const p = pops[k]!;
        flushTiny(p.synState);
        // Without adaptation (a = b = 0) w stays exactly 0.
        const k0 = p.constants;
        if (k0.aNs !== 0 || k0.bPa !== 0) flushTiny(n.w, k0.offset, k0.offset + k0.size);
      }
    }
    this.tickCount++;
    this.recordTick();
    const frame = this.frame as { tick: number };
    frame.tick = this.tickCount - 1;
    for (let i = 0; i < this.pops.length; i++) this.frame.counts[i] = this.pops[i]!.tickCount;
    return this.frame;
  }

  run(ticks: number): void {
    for (let t = 0; t < ticks; t++) this.step();
  }

  /**
   * One integration step on the WebAssembly kernels. The sources draw first (their streams do not
   * depend on this step's neurons), so that one call runs every population kernel and then every
   * delivery, in the order of the JS path.
   */
  private wasmStep(wasm: NonNullable<ConductanceEngine['wasm']>, step: number, subStep: number): void {
    const sources = this.sources;
    for (let k = 0; k < sources.length; k++) {
      const src = sources[k]!;
      this.generateSourceSpikes(src, step, subStep);
      wasm.sourceCounts[k] = src.stepCount;
    }
    // Integers only cross this call and the one into the module: a double argument of a call that
    // is not inlined gets a heap box.
    const status = wasm.kernels.step(step);
    const pops = this.pops;
    if (status !== 0) {
      const tMs = step * this.dtMs;
      const p = pops[status - 1]!;
      const bad = wasm.badNeuron[0]!;
      throw new RangeError(`population '${p.id}' at t = ${tMs.toFixed(3)} ms: membrane potential became ${this.neurons.v[p.constants.offset + bad]} at neuron ${bad} (step ${step}); check the inputs for NaN or absurd conductances`);
    }
    for (let k = 0; k < pops.length; k++) {
      const p = pops[k]!;
      const count = wasm.populationCounts[k]!;
      p.stepCount = count;
      for (let j = 0; j < count; j++) p.tickSpikes[p.tickCount++] = p.stepSpikes[j]!;
    }
    if (this.spikeProbes.length > 0) this.recordStepSpikes(step * this.dtMs);
  }

  /**
   * Move the state the kernels touch into one WebAssembly memory (wasm-heap.ts), rebind every
   * holder of those arrays to the memory's views, and generate and instantiate the kernels.
   */
  private buildWasm(simd: boolean): NonNullable<ConductanceEngine['wasm']> {
    const n = this.neurons;
    const populationCounts = new Int32Array(this.pops.length);
    const sourceCounts = new Int32Array(this.sources.length);
    const badNeuron = new Int32Array(1);
    const twoJ = Float64Array.from(TWO_J_N);
    const twoM = Float64Array.from(TWO_M);
    const projections = [...this.pops, ...this.sources].flatMap((h) => h.outgoing);
    const arrays: HotArray[] = [n.v, n.w, n.vT, n.gL, n.iExt, n.refUntil, populationCounts, sourceCounts, badNeuron, twoJ, twoM];
    for (const p of this.pops) arrays.push(p.synState, p.synRing, p.stepSpikes);
    for (const src of this.sources) arrays.push(src.stepSpikes);
    for (const pr of projections) {
      arrays.push(pr.csr.rowStart, pr.csr.post);
      if (pr.csr.weight) arrays.push(pr.csr.weight);
      if (pr.stp) arrays.push(pr.stp.u, pr.stp.r, pr.stp.lastMs);
      for (const t of pr.targets) if (t.saturation) arrays.push(t.saturation.s, t.saturation.lastMs);
    }
    const heap = new WasmHeap(arrays);
    const mv = <T extends HotArray>(a: T): T => heap.moved(a);
    n.v = mv(n.v);
    n.w = mv(n.w);
    n.vT = mv(n.vT);
    n.gL = mv(n.gL);
    n.iExt = mv(n.iExt);
    n.refUntil = mv(n.refUntil);
    for (const p of this.pops) {
      p.synState = mv(p.synState);
      p.synRing = mv(p.synRing);
      p.stepSpikes = mv(p.stepSpikes);
      for (const ch of p.channels) {
        ch.state = p.synState;
        ch.ring = p.synRing;
      }
    }
    for (const src of this.sources) src.stepSpikes = mv(src.stepSpikes);
    for (const pr of projections) {
      pr.csr.rowStart = mv(pr.csr.rowStart);
      pr.csr.post = mv(pr.csr.post);
      if (pr.csr.weight) pr.csr.weight = mv(pr.csr.weight);
      if (pr.stp) {
        pr.stp.u = mv(pr.stp.u);
        pr.stp.r = mv(pr.stp.r);
        pr.stp.lastMs = mv(pr.stp.lastMs);
      }
      for (const t of pr.targets) {
        if (t.saturation) {
          t.saturation.s = mv(t.saturation.s);
          t.saturation.lastMs = mv(t.saturation.lastMs);
        }
      }
    }
    const plan = {
      populations: this.pops, sources: this.sources, neurons: n,
      populationCounts: mv(populationCounts), sourceCounts: mv(sourceCounts), badNeuron: mv(badNeuron), twoJ: mv(twoJ), twoM: mv(twoM), simd, dtMs: this.dtMs,
    };
    const kernels = instantiateKernels(emitKernels(plan), heap.memory);
    return { kernels, populationCounts: plan.populationCounts, sourceCounts: plan.sourceCounts, badNeuron: plan.badNeuron };
  }

  setRate(stimulusId: string, rateHz: number): void {
    const src = this.sourceById.get(stimulusId);
    if (!src?.rate) throw notAPoissonSource(stimulusId, this.sources.filter((x) => x.rate).map((x) => x.id));
    src.rate.set(rateHz);
  }

  reset(): void {
    this.tickCount = 0;
    const n = this.neurons;
    n.v.set(this.initialV);
    for (const a of [n.w, n.iExt, n.gTot, n.gRevSum, n.gNmda, n.gNmdaRev, n.refUntil]) a.fill(0);
    for (const p of this.pops) {
      p.synState.fill(0);
      p.synRing.fill(0);
      for (const pr of p.outgoing) resetPresynaptic(pr);
    }
    for (const c of this.currents) c.appliedPa = 0;
    this.sources.forEach((src) => {
      src.rate?.reset();
      src.replay?.reset();
      src.rng.setState(src.rngInitial);
      src.injectedCount = 0;
      for (const pr of src.outgoing) resetPresynaptic(pr);
    });
    for (const pr of this.probes.values()) {
      pr.times.clear();
      pr.indices.clear();
      pr.counts.clear();
      pr.samples.clear();
      pr.ticks = 0;
    }
  }

  probe(probeId: string): ProbeData {
    const pr = this.probes.get(probeId);
    if (!pr) throw new Error(`unknown probe '${probeId}'; probes of this graph: ${[...this.probes.keys()].join(', ') || 'none'}`);
    const { kind, target } = pr.probe;
    if (kind === 'spikes') return { kind, target, timesMs: pr.times.view(), indices: pr.indices.view() };
    if (kind === 'rate') return { kind, target, size: pr.pop ? pr.pop.constants.size : pr.source!.size, countsPerTick: pr.counts.view() };
    return { kind, target, neurons: pr.neurons, ticks: pr.ticks, samples: pr.samples.view() };
  }

  /** Copies of a projection's drawn synapses (CSR by presynaptic neuron; weight null when all are 1). */
  synapses(projectionId: string): Csr {
    const pr = this.projectionById.get(projectionId);
    if (!pr) throw new Error(`unknown projection '${projectionId}'`);
    return { rowStart: pr.csr.rowStart.slice(), post: pr.csr.post.slice(), weight: pr.csr.weight ? pr.csr.weight.slice() : null };
  }

  /** Copies of a population's drawn neuron parameters: V_T and g_L with mismatch, and V at reset. */
  drawnNeurons(populationId: string): { vTMv: Float64Array; gLNs: Float64Array; vInitMv: Float64Array } {
    const p = this.pops.find((x) => x.id === populationId);
    if (!p) throw new Error(`unknown population '${populationId}'`);
    const { offset, size } = p.constants;
    return {
      vTMv: this.neurons.vT.slice(offset, offset + size),
      gLNs: this.neurons.gL.slice(offset, offset + size),
      vInitMv: this.initialV.slice(offset, offset + size),
    };
  }

  private inject(input: SpikeInput): void {
    const src = this.sourceById.get(input.source);
    if (!src || src.kind !== 'spikes') throw new Error(`inbound spikes for '${input.source}', which is not a 'spikes' source of this graph`);
    const count = input.count ?? input.indices.length;
    for (let k = 0; k < count; k++) {
      const i = input.indices[k]!;
      if (!(Number.isInteger(i) && i >= 0 && i < src.size)) throw new RangeError(`inbound spike index ${i} is outside [0, ${src.size}) of source '${src.id}'`);
      if (src.injectedCount === src.injected.length) {
        throw new RangeError(`more than ${src.injected.length} inbound spikes for source '${src.id}' in one tick`);
      }
      src.injected[src.injectedCount++] = i;
    }
  }

  private updateRates(tMs: number): void {
    for (const src of this.sources) src.rate?.advanceTo(tMs);
  }

  private applyCurrents(step: number): void {
    const iExt = this.neurons.iExt;
    for (const c of this.currents) {
      let amp = 0;
      for (const g of c.segments) {
        if (step >= g.startStep && step < g.endStep) {
          amp += g.toPa === g.fromPa ? g.fromPa : g.fromPa + ((g.toPa - g.fromPa) * (step - g.startStep)) / (g.endStep - g.startStep);
        }
      }
      if (amp !== c.appliedPa) {
        const delta = amp - c.appliedPa;
        for (let k = 0; k < c.neurons.length; k++) iExt[c.neurons[k]!]! += delta;
        c.appliedPa = amp;
      }
    }
  }

  private generateSourceSpikes(src: SourceRuntime, step: number, subStep: number): void {
    let count = 0;
    const out = src.stepSpikes;
    if (src.rate) {
      const p = (src.rate.rateHz * this.dtMs) / 1000;
      if (p > 0) {
        // Bernoulli per neuron and step, by geometric skipping: O(spikes), not O(neurons). One call
        // site, so that V8 inlines it (a call left out of line boxes p at every draw).
        const rng = src.rng;
        const size = src.size;
        for (let i = -1; ;) {
          i += 1 + rng.geometric(p);
          if (i >= size) break;
          out[count++] = i;
        }
      }
    } else {
      if (subStep === 0) {
        for (let k = 0; k < src.injectedCount; k++) out[count++] = src.injected[k]!;
        src.injectedCount = 0;
      }
      count = src.replay!.drainInto(step, out, count);
    }
    src.stepCount = count;
    src.tickCount += count;
  }

  private propagate(outgoing: ProjectionRuntime[], spikes: Int32Array, count: number, step: number, tMs: number): void {
    for (let k = 0; k < outgoing.length; k++) {
      const pr = outgoing[k]!;
      deliverSpikes(spikes, count, step, tMs, pr.csr.rowStart, pr.csr.post, pr.csr.weight, pr.delaySteps, pr.targets, pr.stp);
    }
  }

  private recordStepSpikes(tMs: number): void {
    for (const pr of this.spikeProbes) {
      const holder = pr.pop ?? pr.source!;
      for (let k = 0; k < holder.stepCount; k++) {
        pr.times.push(tMs);
        pr.indices.push(holder.stepSpikes[k]!);
      }
    }
  }

  private recordTick(): void {
    const n = this.neurons;
    for (let p = 0; p < this.tickProbes.length; p++) {
      const pr = this.tickProbes[p]!;
      const kind = pr.probe.kind;
      if (kind === 'rate') {
        pr.counts.push((pr.pop ?? pr.source!).tickCount);
        continue;
      }
      const at = pr.samples.reserve(pr.neurons.length);
      const buf = pr.samples.buffer;
      const pop = pr.pop!;
      for (let k = 0; k < pr.neurons.length; k++) {
        const i = pr.neurons[k]!;
        if (kind === 'v') buf[at + k] = n.v[pr.offset + i]!;
        else if (kind === 'w') buf[at + k] = n.w[pr.offset + i]!;
        else {
          let g = 0;
          pop.channels.forEach((ch, c) => {
            if (pop.channelReceptors[c] !== pr.probe.receptor) return;
            g += ch.decayB > 0 ? ch.norm * (ch.state[ch.offA + i]! - ch.state[ch.offB + i]!) : ch.state[ch.offA + i]!;
          });
          buf[at + k] = g;
        }
      }
      pr.ticks++;
    }
  }
}

function saturationState(nPre: number, tauDecayMs: number, alphaS: number): SaturationState {
  return { invTauDecayMs: 1 / tauDecayMs, alphaS, logUnbound: Math.log1p(-alphaS), s: new Float64Array(nPre), lastMs: new Float64Array(nPre).fill(-Infinity) };
}

/** Back to rest: the presynaptic state of a projection (STP, NMDA gating). */
function resetPresynaptic(pr: ProjectionRuntime): void {
  if (pr.stp) {
    pr.stp.u.fill(pr.stp.U);
    pr.stp.r.fill(1);
    pr.stp.lastMs.fill(NaN);
  }
  for (const t of pr.targets) {
    if (t.saturation === null) continue;
    t.saturation.s.fill(0);
    t.saturation.lastMs.fill(-Infinity);
  }
}

/**
 * Give a population's channels their places in one synaptic state array (a block of `size` for
 * A, then one for B of a bi-exponential channel) and one arrival ring (per slot, a block per
 * non-direct channel; as many slots as the longest delay needs). A channel whose projections all
 * have the one-step delay is `direct`: no ring block (kernel.ts).
 */
function layoutSynapses(p: PopulationRuntime): void {
  const size = p.constants.size;
  let blocks = 0;
  let ringChannels = 0;
  let ringLen = 1;
  for (const ch of p.channels) {
    ch.offA = blocks++ * size;
    ch.offB = ch.decayB > 0 ? blocks++ * size : -1;
    ch.direct = ch.ringLen === 2;
    if (!ch.direct) {
      ch.ringIndex = ringChannels++;
      ringLen = Math.max(ringLen, ch.ringLen);
    }
  }
  p.synState = new Float64Array(blocks * size);
  p.synRing = new Float64Array(ringLen * ringChannels * size);
  for (const ch of p.channels) {
    ch.state = p.synState;
    ch.ring = p.synRing;
    ch.ringChannels = ringChannels;
    ch.ringLen = ch.direct ? 1 : ringLen;
  }
}

/** Compile a graph for the conductance backend. */
export function compile(graph: Graph, options: CompileOptions = {}): ConductanceEngine {
  return new ConductanceEngine(graph, options);
}
