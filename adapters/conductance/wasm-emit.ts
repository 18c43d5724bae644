import binaryen from 'binaryen';
import type { Csr } from './connectivity.ts';
import { FLUSH_BELOW, type AdexConstants, type ChannelState, type DeliveryTarget, type NeuronArrays, type StpState } from './kernel.ts';
import { FAST_EXP_MAX, FAST_EXP_MIN } from './fast-exp.ts';
import { addScalarFastExp, IMPORT_EXP, Locals, SCALAR_FAST_EXP, scalarLanes, simdLanes, type ExpTables, type Lanes } from './wasm-lanes.ts';

type Expr = binaryen.ExpressionRef;

/**
 * The conductance engine's per-step work as one WebAssembly module, generated at compile time
 * from the same structures as the JS kernels (kernel.ts, codegen.ts) with every parameter inlined:
 *
 *   pop_k(step, stepF) → spike count   the fused population kernel of codegen.ts (channels, then
 *                                      AdEx), on one neuron or, with SIMD, two at a time (f64x2)
 *   deliver_j(count, step, tMs)        deliverSpikes of one projection (STP, NMDA gating, CSR
 *                                      scatter into the ring or straight into A and B)
 *   step(step) → status                every population kernel, then every population's and
 *                                      every source's deliveries, in the JS engine's order
 *   flush()                            kernel.ts's flushTiny on every A, B and adapting w, once a tick
 *
 * Every array is a view of the one memory the module imports (wasm-heap.ts), so an address is
 * the view's byteOffset. Floating-point operations are those of the JS kernels in the same order,
 * and the exponentials are fastExp's algorithm on the same tables (Math.exp, imported, outside
 * its fast range, as fastExp does): spikes and state are bit-identical to the JS kernels
 * (test/adapters/conductance/wasm.test.ts).
 *
 * binaryen (the WebAssembly project's own compiler infrastructure, maintained with the spec and
 * published to npm with a typed JS API) builds and validates the module; no optimization pass is
 * run and fast-math stays off, so the module computes exactly the expressions written here.
 */

export interface KernelProjection {
  csr: Csr;
  delaySteps: number;
  targets: readonly DeliveryTarget[];
  stp: StpState | null;
}

export interface KernelPopulation {
  constants: AdexConstants;
  channels: readonly ChannelState[];
  /** The state array all channels share (flushed once per tick). */
  synState: Float64Array;
  stepSpikes: Int32Array;
  outgoing: readonly KernelProjection[];
}

export interface KernelSource {
  stepSpikes: Int32Array;
  outgoing: readonly KernelProjection[];
}

export interface KernelPlan {
  populations: readonly KernelPopulation[];
  sources: readonly KernelSource[];
  neurons: NeuronArrays;
  /** Spike count of each population's current step (written by `step`). */
  populationCounts: Int32Array;
  /** Spike count of each source's current step (written by the caller before `step`). */
  sourceCounts: Int32Array;
  /** The local index of the neuron whose membrane potential became NaN (status > 0). */
  badNeuron: Int32Array;
  /** Copies of fastExp's tables (fast-exp.ts) in the memory. */
  twoJ: Float64Array;
  twoM: Float64Array;
  /** Two neurons per instruction (f64x2) in the population kernels. */
  simd: boolean;
  /** Integration step (ms): t = step·dt. */
  dtMs: number;
}

const f64 = binaryen.f64;
const i32 = binaryen.i32;

/** Emit the module's bytes. */
export function emitKernels(plan: KernelPlan): Uint8Array<ArrayBuffer> {
  const m = new binaryen.Module();
  try {
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128 | binaryen.Features.NontrappingFPToInt);
    // Declare the memory, then make it the import (env.memory): its size is the caller's.
    m.setMemory(1, -1, null, [], false, false, 'memory');
    m.addMemoryImport('memory', 'env', 'memory');
    m.addFunctionImport(IMPORT_EXP, 'Math', 'exp', binaryen.createType([f64]), f64);
    const tables: ExpTables = { twoJ: plan.twoJ.byteOffset, twoM: plan.twoM.byteOffset };
    addScalarFastExp(m, tables);
    plan.populations.forEach((p, k) => addPopulationKernel(m, `pop_${k}`, p, plan.neurons, tables, plan.simd, plan.badNeuron.byteOffset));
    let j = 0;
    const deliveries = (holder: { stepSpikes: Int32Array; outgoing: readonly KernelProjection[] }): string[] =>
      holder.outgoing.map((pr) => {
        const name = `deliver_${j++}`;
        addDelivery(m, name, pr, holder.stepSpikes.byteOffset);
        return name;
      });
    const popDeliveries = plan.populations.map(deliveries);
    const sourceDeliveries = plan.sources.map(deliveries);
    addStep(m, plan, popDeliveries, sourceDeliveries);
    m.addFunctionExport('step', 'step');
    addFlush(m, plan);
    m.addFunctionExport('flush', 'flush');
    if (!m.validate()) throw new Error('the generated WebAssembly kernels did not validate (a bug in wasm-emit.ts)');
    return new Uint8Array(m.emitBinary());
  } finally {
    m.dispose();
  }
}

/**
 * pop_k(step: i32, stepF: f64) → i32: one integration step of a population, as codegen.ts's
 * fused kernel. Returns the spike count, or −1 after a non-finite membrane potential (its neuron
 * in badNeuron).
 */
function addPopulationKernel(m: binaryen.Module, name: string, p: KernelPopulation, n: NeuronArrays, tables: ExpTables, simd: boolean, badAt: number): void {
  const k = p.constants;
  const locals = new Locals(2);
  const step = (): Expr => m.local.get(0, i32);
  const stepF = (): Expr => m.local.get(1, f64);
  const o = locals.add(i32);
  const count = locals.add(i32);
  const base = locals.add(i32);
  const refStep = locals.add(f64);
  const ringed = p.channels.find((ch) => !ch.direct);
  const pairs = simd ? Math.floor(k.size / 2) : 0;
  const lanes = simd && pairs > 0 ? [simdLanes(m, locals, tables), scalarLanes(m)] : [scalarLanes(m)];
  const addr = (a: Float64Array): number => a.byteOffset + k.offset * 8;
  const body: Expr[] = [
    m.local.set(count, m.i32.const(0)),
    m.local.set(refStep, m.f64.add(stepF(), m.f64.const(k.refractorySteps))),
  ];
  if (ringed) {
    // Byte address of ring slot (step mod ringLen).
    const slotBytes = k.size * ringed.ringChannels * 8;
    body.push(m.local.set(base, m.i32.add(m.i32.const(ringed.ring.byteOffset), m.i32.mul(m.i32.rem_u(step(), m.i32.const(ringed.ringLen)), m.i32.const(slotBytes)))));
  }
  const stepPair = locals.add(binaryen.v128);
  const refStepPair = locals.add(binaryen.v128);
  body.push(m.local.set(stepPair, m.f64x2.splat(stepF())), m.local.set(refStepPair, m.f64x2.splat(m.local.get(refStep, f64))));
  const ctx: NeuronContext = { m, k, p, n, locals, o, count, base, refStep, step, stepF, addr, badAt, stepPair, refStepPair };
  const loop = (label: string, l: Lanes, endBytes: number, update: Expr): Expr =>
    m.block(`${label}_done`, [
      m.br(`${label}_done`, m.i32.ge_u(m.local.get(o, i32), m.i32.const(endBytes))),
      m.loop(label, m.block(null, [
        update,
        m.local.set(o, m.i32.add(m.local.get(o, i32), m.i32.const(l.bytes))),
        m.br(label, m.i32.lt_u(m.local.get(o, i32), m.i32.const(endBytes))),
      ])),
    ]);
  const scalar = lanes[lanes.length - 1]!;
  const loops: Expr[] = [m.local.set(o, m.i32.const(0))];
  if (lanes.length === 2) {
    // SIMD: pairs of neurons, when every v of the population keeps both exponents inside
    // fastExp's fast range (one pass over v, before anything is stored); then the odd neuron, or
    // all of them when some v is outside, on the scalar path (which calls Math.exp there).
    const simdLane = lanes[0]!;
    const pairLoop = loop('pairs', simdLane, pairs * 16, neuronPair(ctx, simdLane));
    if (k.hasNmda || k.deltaTMv > 0) {
      const range = fastRangeOfV(k, n);
      const ok = locals.add(binaryen.v128);
      const vAt = (): Expr => m.v128.load(addr(n.v), 8, m.local.get(o, i32));
      const inside = m.v128.and(m.f64x2.gt(vAt(), simdLane.k(range.loMv)), m.f64x2.lt(vAt(), simdLane.k(range.hiMv)));
      loops.push(
        m.local.set(ok, m.v128.const(new Array<number>(16).fill(255))),
        loop('check', simdLane, pairs * 16, m.local.set(ok, m.v128.and(m.local.get(ok, binaryen.v128), inside))),
        m.local.set(o, m.i32.const(0)),
        m.if(m.i64x2.all_true(m.local.get(ok, binaryen.v128)), pairLoop),
      );
    } else {
      // No exponential (a LIF): nothing to check.
      loops.push(pairLoop);
    }
  }
  loops.push(loop('one', scalar, k.size * 8, neuronOne(ctx, scalar)));
  // The prologues are complete only once the loops are generated.
  for (const l of lanes) body.push(...l.prologue());
  body.push(...loops);
  body.push(m.return(m.local.get(count, i32)));
  m.addFunction(name, binaryen.createType([i32, f64]), i32, locals.vars, m.block(null, body));
}

interface NeuronContext {
  m: binaryen.Module;
  k: AdexConstants;
  p: KernelPopulation;
  n: NeuronArrays;
  locals: Locals;
  /** Byte offset of the current neuron within the population's slice of every array. */
  o: number;
  count: number;
  base: number;
  refStep: number;
  step: () => Expr;
  stepF: () => Expr;
  addr: (a: Float64Array) => number;
  /** Byte address of the badNeuron word. */
  badAt: number;
  /** SIMD: step and step + refractory steps in both lanes (v128 locals set before the loops). */
  stepPair: number;
  refStepPair: number;
}

/** The channel sums and the AdEx right-hand side on `l` lanes: leaves v_next, w + dw and friends in locals. */
function neuronCore(c: NeuronContext, l: Lanes): { code: Expr[]; vi: number; wi: number; dw: number; vNext: number; adapting: boolean } {
  const { m, k, p, n, locals } = c;
  const o = (): Expr => m.local.get(c.o, i32);
  const code: Expr[] = [];
  const v = (): number => locals.add(l.type);
  const slice = (arr: Float64Array): Float64Array => arr.subarray(k.offset, k.offset + k.size);
  const uniform = (arr: Float64Array): number | null => (slice(arr).every((q) => q === arr[k.offset]) ? (arr[k.offset] ?? 0) : null);
  // The two exponentials depend on v alone: computed first, their long dependency chains overlap
  // the channels' work in the CPU (independent operations: the order changes no result).
  const vi = v();
  code.push(l.set(vi, l.load(c.addr(n.v), o())));
  const expNmda = v();
  const expSpike = v();
  const args: number[] = [];
  if (k.hasNmda) {
    args.push(expNmda);
    code.push(l.set(expNmda, l.mul(l.k(-0.062), l.get(vi))));
  }
  if (k.deltaTMv > 0) {
    const vT0 = uniform(n.vT);
    const vTi = v();
    code.push(l.set(vTi, vT0 === null ? l.load(c.addr(n.vT), o()) : l.k(vT0)));
    args.push(expSpike);
    code.push(l.set(expSpike, l.selectLt(l.get(vi), l.k(k.vPeakMv), l.div(l.sub(l.get(vi), l.get(vTi)), l.k(k.deltaTMv)), l.div(l.sub(l.k(k.vPeakMv), l.get(vTi)), l.k(k.deltaTMv)))));
  }
  for (const a of args) code.push(l.set(a, l.exp(l.get(a))));
  const gTot = v();
  const gRevSum = v();
  const gNmda = v();
  const gNmdaRev = v();
  for (const s of [gTot, gRevSum, gNmda, gNmdaRev]) code.push(l.set(s, l.k(0)));
  const x = v();
  const a = v();
  const b = v();
  const g = v();
  const plain = p.channels.filter((ch) => !ch.mgBlock);
  const nmda = p.channels.filter((ch) => ch.mgBlock);
  for (const ch of [...plain, ...nmda]) {
    const sumG = ch.mgBlock ? gNmda : gTot;
    const sumGE = ch.mgBlock ? gNmdaRev : gRevSum;
    if (!ch.direct) {
      const ptr = (): Expr => m.i32.add(m.local.get(c.base, i32), o());
      const at = ch.ringIndex * k.size * 8;
      code.push(l.set(x, l.load(at, ptr())), l.store(at, ptr(), l.k(0)));
    }
    const arrival = (): Expr => (ch.direct ? l.k(0) : l.get(x));
    const syn = ch.state.byteOffset;
    code.push(l.store(syn + ch.offA * 8, o(), l.tee(a, l.add(l.mul(l.load(syn + ch.offA * 8, o()), l.k(ch.decayA)), arrival()))));
    if (ch.decayB > 0) {
      code.push(l.store(syn + ch.offB * 8, o(), l.tee(b, l.add(l.mul(l.load(syn + ch.offB * 8, o()), l.k(ch.decayB)), arrival()))));
      code.push(l.set(g, l.mul(l.k(ch.norm), l.sub(l.get(a), l.get(b)))));
    } else {
      code.push(l.set(g, l.get(a)));
    }
    code.push(l.set(sumG, l.add(l.get(sumG), l.get(g))), l.set(sumGE, l.add(l.get(sumGE), l.mul(l.get(g), l.k(ch.eRevMv)))));
  }
  const adapting = k.aNs !== 0 || k.bPa !== 0;
  const wi = v();
  const dw = v();
  code.push(l.set(wi, adapting ? l.load(c.addr(n.w), o()) : l.k(0)));
  if (adapting) code.push(l.set(dw, l.mul(l.sub(l.mul(l.k(k.aNs), l.sub(l.get(vi), l.k(k.eLMv))), l.get(wi)), l.k(k.dtOverTauW))));
  const gL0 = uniform(n.gL);
  const gl = v();
  code.push(l.set(gl, gL0 === null ? l.load(c.addr(n.gL), o()) : l.k(gL0)));
  const current = v();
  code.push(l.set(current, l.sub(l.sub(l.add(l.sub(l.get(gRevSum), l.mul(l.get(gTot), l.get(vi))), l.load(c.addr(n.iExt), o())), l.mul(l.get(gl), l.sub(l.get(vi), l.k(k.eLMv)))), l.get(wi))));
  if (k.hasNmda) {
    const block = l.div(l.k(1), l.add(l.k(1), l.mul(l.k(k.mgOver357), l.get(expNmda))));
    code.push(l.set(current, l.add(l.get(current), l.mul(block, l.sub(l.get(gNmdaRev), l.mul(l.get(gNmda), l.get(vi)))))));
  }
  if (k.deltaTMv > 0) code.push(l.set(current, l.add(l.get(current), l.mul(l.mul(l.get(gl), l.k(k.deltaTMv)), l.get(expSpike)))));
  const vNext = v();
  code.push(l.set(vNext, l.add(l.get(vi), l.mul(l.get(current), l.k(k.dtOverC)))));
  return { code, vi, wi, dw, vNext, adapting };
}

/** One neuron: codegen.ts's branches (refractory, spike, finite, NaN). */
function neuronOne(c: NeuronContext, l: Lanes): Expr {
  const { m, k, n } = c;
  const o = (): Expr => m.local.get(c.o, i32);
  const core = neuronCore(c, l);
  const wdw = (): Expr => l.add(l.get(core.wi), l.get(core.dw));
  const vNext = (): Expr => l.get(core.vNext);
  const refractory = m.f64.lt(c.stepF(), m.f64.load(c.addr(n.refUntil), 8, o()));
  // The channels advance on refractory steps too; the neuron holds V_r and w relaxes.
  const update = m.if(
    refractory,
    core.adapting ? l.store(c.addr(n.w), o(), wdw()) : m.nop(),
    m.if(
      m.i32.and(m.f64.ge(vNext(), m.f64.const(k.vPeakMv)), m.f64.ne(vNext(), m.f64.const(Infinity))),
      m.block(null, [
        l.store(c.addr(n.v), o(), l.k(k.vRMv)),
        core.adapting ? l.store(c.addr(n.w), o(), l.add(wdw(), l.k(k.bPa))) : m.nop(),
        m.f64.store(c.addr(n.refUntil), 8, o(), m.local.get(c.refStep, f64)),
        m.i32.store(c.p.stepSpikes.byteOffset, 4, m.i32.shl(m.local.get(c.count, i32), m.i32.const(2)), m.i32.shr_u(o(), m.i32.const(3))),
        m.local.set(c.count, m.i32.add(m.local.get(c.count, i32), m.i32.const(1))),
      ]),
      m.if(
        m.f64.eq(vNext(), vNext()),
        m.block(null, [l.store(c.addr(n.v), o(), vNext()), core.adapting ? l.store(c.addr(n.w), o(), wdw()) : m.nop()]),
        m.block(null, [l.store(c.addr(n.v), o(), vNext()), ...badNeuron(c, m.i32.shr_u(o(), m.i32.const(3)))]),
      ),
    ),
  );
  return m.block(null, [...core.code, update]);
}

/** Report neuron `index` (an i32 expression) as non-finite and leave the kernel with −1. */
function badNeuron(c: NeuronContext, index: Expr): Expr[] {
  const { m } = c;
  return [m.i32.store(c.badAt, 4, m.i32.const(0), index), m.return(m.i32.const(-1))];
}

/**
 * Two neurons (f64x2): every lane computes all of codegen.ts's branches and the masks pick, per
 * lane, what that branch would have stored. Spikes are appended in index order.
 */
function neuronPair(c: NeuronContext, l: Lanes): Expr {
  const { m, k, n, locals } = c;
  const v128 = binaryen.v128;
  const o = (): Expr => m.local.get(c.o, i32);
  const core = neuronCore(c, l);
  const refr = locals.add(v128);
  const refUntil = locals.add(v128);
  const spike = locals.add(v128);
  const bits = locals.add(i32);
  const vNext = (): Expr => l.get(core.vNext);
  const wdw = (): Expr => l.add(l.get(core.wi), l.get(core.dw));
  const index = (lane: number): Expr => m.i32.add(m.i32.shr_u(o(), m.i32.const(3)), m.i32.const(lane));
  const append = (lane: number): Expr =>
    m.if(m.i32.and(m.local.get(bits, i32), m.i32.const(1 << lane)), m.block(null, [
      m.i32.store(c.p.stepSpikes.byteOffset, 4, m.i32.shl(m.local.get(c.count, i32), m.i32.const(2)), index(lane)),
      m.local.set(c.count, m.i32.add(m.local.get(c.count, i32), m.i32.const(1))),
    ]));
  const notRefr = (): Expr => m.v128.not(m.local.get(refr, v128));
  const code: Expr[] = [
    ...core.code,
    m.local.set(refr, m.f64x2.lt(m.local.get(c.stepPair, v128), m.local.tee(refUntil, m.v128.load(c.addr(n.refUntil), 8, o()), v128))),
    m.local.set(spike, m.v128.and(notRefr(), m.v128.and(m.f64x2.ge(vNext(), l.k(k.vPeakMv)), m.f64x2.ne(vNext(), l.k(Infinity))))),
    // v: V_r on a spike, unchanged while refractory, else v_next.
    l.store(c.addr(n.v), o(), m.v128.bitselect(l.k(k.vRMv), m.v128.bitselect(l.get(core.vi), vNext(), m.local.get(refr, v128)), m.local.get(spike, v128))),
  ];
  if (core.adapting) code.push(l.store(c.addr(n.w), o(), m.v128.bitselect(l.add(wdw(), l.k(k.bPa)), wdw(), m.local.get(spike, v128))));
  code.push(
    l.store(c.addr(n.refUntil), o(), m.v128.bitselect(m.local.get(c.refStepPair, v128), m.local.get(refUntil, v128), m.local.get(spike, v128))),
    m.local.set(bits, m.i64x2.bitmask(m.local.get(spike, v128))),
    m.if(m.local.get(bits, i32), m.block(null, [append(0), append(1)])),
  );
  // A non-finite v_next on a lane that is not refractory: report the first such lane.
  const nan = m.v128.and(notRefr(), m.f64x2.ne(vNext(), vNext()));
  code.push(m.if(m.v128.any_true(nan), m.block(null, badNeuron(c, m.select(m.f64.ne(m.f64x2.extract_lane(vNext(), 0), m.f64x2.extract_lane(vNext(), 0)), index(0), index(1))))));
  return m.block(null, code);
}

/**
 * The membrane potentials (mV) between which both exponents of a population's AdEx step are
 * inside fastExp's fast range (−708, 709) for each of its neurons, with a margin of 8 units of the
 * exponent for rounding: the Mg²⁺ block's −0.062·v, and the spike term's (min(v, V_peak) − V_T)/Δ_T.
 * An empty range (lo ≥ hi) when parameters put even rest outside it: the scalar path then runs.
 */
export function fastRangeOfV(k: AdexConstants, n: NeuronArrays): { loMv: number; hiMv: number } {
  const margin = 8;
  let loMv = -Infinity;
  let hiMv = Infinity;
  if (k.hasNmda) {
    loMv = Math.max(loMv, (FAST_EXP_MAX - margin) / -0.062);
    hiMv = Math.min(hiMv, (FAST_EXP_MIN + margin) / -0.062);
  }
  if (k.deltaTMv > 0) {
    const vT = n.vT.subarray(k.offset, k.offset + k.size);
    const vTMin = vT.reduce((a, b) => Math.min(a, b), Infinity);
    const vTMax = vT.reduce((a, b) => Math.max(a, b), -Infinity);
    // Above V_peak the exponent is capped at (V_peak − V_T)/Δ_T: it must itself be in range.
    const capped = (k.vPeakMv - vTMin) / k.deltaTMv < FAST_EXP_MAX - margin && (k.vPeakMv - vTMax) / k.deltaTMv > FAST_EXP_MIN + margin;
    if (!capped) return { loMv: 0, hiMv: 0 };
    loMv = Math.max(loMv, vTMax + (FAST_EXP_MIN + margin) * k.deltaTMv);
  }
  return { loMv, hiMv };
}

/**
 * deliver_j(count: i32, step: i32, tMs: f64): kernel.ts's deliverSpikes for one projection, its
 * spikes read from the presynaptic holder's step list at `spikesAt`.
 */
function addDelivery(m: binaryen.Module, name: string, pr: KernelProjection, spikesAt: number): void {
  const locals = new Locals(3);
  const count = (): Expr => m.local.get(0, i32);
  const step = (): Expr => m.local.get(1, i32);
  const tMs = (): Expr => m.local.get(2, f64);
  const s = locals.add(i32);
  const pre = locals.add(i32);
  const kk = locals.add(i32);
  const end = locals.add(i32);
  const at = locals.add(i32);
  const release = locals.add(f64);
  const amp = locals.add(f64);
  const scaled = locals.add(f64);
  const last = locals.add(f64);
  const dt = locals.add(f64);
  const uPrev = locals.add(f64);
  const u = locals.add(f64);
  const r = locals.add(f64);
  const sBefore = locals.add(f64);
  const ds = locals.add(f64);
  const get = (l: number, t: binaryen.Type = f64): Expr => m.local.get(l, t);
  const pre8 = (): Expr => m.i32.shl(get(pre, i32), m.i32.const(3));
  const exp = (x: Expr): Expr => m.call(SCALAR_FAST_EXP, [x], f64);
  const { rowStart, post, weight } = pr.csr;
  const stp = pr.stp;
  const body: Expr[] = [];

  /** The release factor of the spike of `pre` (kernel.ts, stpFactor: advancing the state on the first target). */
  const releaseOf = (first: boolean): Expr[] => {
    if (stp === null) return [m.local.set(release, m.f64.const(1))];
    const U = stp.U;
    if (!first) return [m.local.set(release, m.f64.div(m.f64.mul(m.f64.load(stp.u.byteOffset, 8, pre8()), m.f64.load(stp.r.byteOffset, 8, pre8())), m.f64.const(U)))];
    const advance = m.block(null, [
      m.local.set(dt, m.f64.sub(tMs(), get(last))),
      m.local.set(uPrev, m.f64.load(stp.u.byteOffset, 8, pre8())),
      m.local.set(r, m.f64.sub(m.f64.const(1), m.f64.mul(
        m.f64.sub(m.f64.const(1), m.f64.mul(m.f64.load(stp.r.byteOffset, 8, pre8()), m.f64.sub(m.f64.const(1), get(uPrev)))),
        exp(m.f64.div(m.f64.neg(get(dt)), m.f64.const(stp.tauRecMs))),
      ))),
      m.local.set(u, stp.tauFacilMs > 0
        ? m.f64.add(m.f64.const(U), m.f64.mul(m.f64.mul(get(uPrev), m.f64.const(1 - U)), exp(m.f64.div(m.f64.neg(get(dt)), m.f64.const(stp.tauFacilMs)))))
        : m.f64.const(U)),
    ]);
    return [
      m.local.set(last, m.f64.load(stp.lastMs.byteOffset, 8, pre8())),
      m.local.set(u, m.f64.const(U)),
      m.local.set(r, m.f64.const(1)),
      m.if(m.f64.eq(get(last), get(last)), advance),
      m.f64.store(stp.u.byteOffset, 8, pre8(), get(u)),
      m.f64.store(stp.r.byteOffset, 8, pre8(), get(r)),
      m.f64.store(stp.lastMs.byteOffset, 8, pre8(), tMs()),
      m.local.set(release, m.f64.div(m.f64.mul(get(u), get(r)), m.f64.const(U))),
    ];
  };

  /** g·(release, or Δs/α_s of saturating gating: kernel.ts, saturationFactor). */
  const amplitude = (t: DeliveryTarget): Expr[] => {
    const sat = t.saturation;
    if (sat === null) return [m.local.set(amp, m.f64.mul(m.f64.const(t.gNs), get(release)))];
    const bind = stp === null
      ? m.f64.const(sat.alphaS)
      : m.if(m.f64.eq(get(release), m.f64.const(1)), m.f64.const(sat.alphaS), m.f64.sub(m.f64.const(1), exp(m.f64.mul(get(release), m.f64.const(sat.logUnbound)))));
    return [
      m.local.set(sBefore, m.f64.mul(m.f64.load(sat.s.byteOffset, 8, pre8()), exp(m.f64.mul(m.f64.sub(m.f64.load(sat.lastMs.byteOffset, 8, pre8()), tMs()), m.f64.const(sat.invTauDecayMs))))),
      m.local.set(ds, m.f64.mul(m.f64.sub(m.f64.const(1), get(sBefore)), bind)),
      m.f64.store(sat.s.byteOffset, 8, pre8(), m.f64.add(get(sBefore), get(ds))),
      m.f64.store(sat.lastMs.byteOffset, 8, pre8(), tMs()),
      m.local.set(amp, m.f64.mul(m.f64.const(t.gNs), m.f64.div(get(ds), m.f64.const(sat.alphaS)))),
    ];
  };

  /** dst[at + post[k]] += x (· weight[k]) over the row of pre. */
  const scatter = (label: string, atExpr: () => Expr): Expr => {
    const cell = (): Expr => m.i32.add(atExpr(), m.i32.shl(m.i32.load(post.byteOffset, 4, m.i32.shl(get(kk, i32), m.i32.const(2))), m.i32.const(3)));
    const inc = weight === null ? get(scaled) : m.f64.mul(get(scaled), m.f64.load(weight.byteOffset, 8, m.i32.shl(get(kk, i32), m.i32.const(3))));
    return m.block(null, [
      m.local.set(kk, m.i32.load(rowStart.byteOffset, 4, m.i32.shl(get(pre, i32), m.i32.const(2)))),
      m.block(`${label}_done`, [
        m.br(`${label}_done`, m.i32.ge_s(get(kk, i32), get(end, i32))),
        m.loop(label, m.block(null, [
          m.f64.store(0, 8, cell(), m.f64.add(m.f64.load(0, 8, cell()), inc)),
          m.local.set(kk, m.i32.add(get(kk, i32), m.i32.const(1))),
          m.br(label, m.i32.lt_s(get(kk, i32), get(end, i32))),
        ])),
      ]),
    ]);
  };

  pr.targets.forEach((t, ti) => {
    const ch = t.channel;
    const direct = ch.direct;
    const biexpDirect = direct && ch.decayB > 0;
    const atA = direct
      ? m.i32.const(ch.state.byteOffset + ch.offA * 8)
      : m.i32.add(m.i32.const(ch.ring.byteOffset), m.i32.mul(
        m.i32.add(m.i32.mul(m.i32.rem_u(m.i32.add(step(), m.i32.const(pr.delaySteps)), m.i32.const(ch.ringLen)), m.i32.const(ch.ringChannels)), m.i32.const(ch.ringIndex)),
        m.i32.const(ch.size * 8),
      ));
    const perSpike: Expr[] = [
      m.local.set(pre, m.i32.load(spikesAt, 4, m.i32.shl(get(s, i32), m.i32.const(2)))),
      ...releaseOf(ti === 0),
      ...amplitude(t),
      m.local.set(scaled, m.f64.mul(get(amp), m.f64.const(direct ? ch.invDecayA : 1))),
      m.local.set(end, m.i32.load(rowStart.byteOffset + 4, 4, m.i32.shl(get(pre, i32), m.i32.const(2)))),
      scatter(`a${ti}`, () => get(at, i32)),
    ];
    if (biexpDirect) {
      perSpike.push(m.local.set(scaled, m.f64.mul(get(amp), m.f64.const(ch.invDecayB))), scatter(`b${ti}`, () => m.i32.const(ch.state.byteOffset + ch.offB * 8)));
    }
    body.push(
      m.local.set(at, atA),
      m.local.set(s, m.i32.const(0)),
      m.loop(`spikes${ti}`, m.block(null, [
        ...perSpike,
        m.local.set(s, m.i32.add(get(s, i32), m.i32.const(1))),
        m.br(`spikes${ti}`, m.i32.lt_s(get(s, i32), count())),
      ])),
    );
  });
  m.addFunction(name, binaryen.createType([i32, i32, f64]), binaryen.none, locals.vars, m.block(null, body));
}

/**
 * step(step: i32) → i32: the population kernels, then the deliveries of the
 * populations (graph order) and of the sources (whose counts the caller wrote). Returns 0, or
 * k + 1 when population k produced a non-finite membrane potential.
 */
function addStep(m: binaryen.Module, plan: KernelPlan, popDeliveries: string[][], sourceDeliveries: string[][]): void {
  const step = (): Expr => m.local.get(0, i32);
  const stepF = (): Expr => m.local.get(1, f64);
  const tMs = (): Expr => m.local.get(2, f64);
  const c = 3;
  // The step number alone crosses from JS (an integer: no heap box); t = step·dt as the JS engine computes it.
  const body: Expr[] = [
    m.local.set(1, m.f64.convert_s.i32(step())),
    m.local.set(2, m.f64.mul(stepF(), m.f64.const(plan.dtMs))),
  ];
  const popCounts = plan.populationCounts.byteOffset;
  plan.populations.forEach((_, k) => {
    body.push(
      m.local.set(c, m.call(`pop_${k}`, [step(), stepF()], i32)),
      m.if(m.i32.lt_s(m.local.get(c, i32), m.i32.const(0)), m.return(m.i32.const(k + 1))),
      m.i32.store(popCounts + 4 * k, 4, m.i32.const(0), m.local.get(c, i32)),
    );
  });
  const deliver = (countAt: number, names: string[]): void => {
    if (names.length === 0) return;
    body.push(
      m.local.set(c, m.i32.load(countAt, 4, m.i32.const(0))),
      m.if(m.i32.gt_s(m.local.get(c, i32), m.i32.const(0)), m.block(null, names.map((nm) => m.call(nm, [m.local.get(c, i32), step(), tMs()], binaryen.none)))),
    );
  };
  popDeliveries.forEach((names, k) => deliver(popCounts + 4 * k, names));
  sourceDeliveries.forEach((names, k) => deliver(plan.sourceCounts.byteOffset + 4 * k, names));
  body.push(m.return(m.i32.const(0)));
  m.addFunction('step', binaryen.createType([i32]), i32, [f64, f64, i32], m.block(null, body));
}

/**
 * flush(): kernel.ts's flushTiny over every population's synaptic state and, for adapting
 * neurons, w: entries of magnitude below FLUSH_BELOW become +0 (two at a time).
 */
function addFlush(m: binaryen.Module, plan: KernelPlan): void {
  const v128 = binaryen.v128;
  const ranges: [number, number][] = [];
  for (const p of plan.populations) {
    if (p.synState.length > 0) ranges.push([p.synState.byteOffset, p.synState.length]);
    const k = p.constants;
    if (k.aNs !== 0 || k.bPa !== 0) ranges.push([plan.neurons.w.byteOffset + k.offset * 8, k.size]);
  }
  const o = 0;
  const x = 1;
  const body: Expr[] = [];
  const tiny = (value: Expr, lt: (a: Expr, b: Expr) => Expr, gt: (a: Expr, b: Expr) => Expr, k: (c: number) => Expr): Expr =>
    m.v128.and(lt(value, k(FLUSH_BELOW)), gt(value, k(-FLUSH_BELOW)));
  ranges.forEach(([at, length], r) => {
    const pairsEnd = Math.floor(length / 2) * 16;
    const splat = (c: number): Expr => m.f64x2.splat(m.f64.const(c));
    body.push(m.local.set(o, m.i32.const(0)));
    if (pairsEnd > 0) {
      body.push(m.loop(`pairs${r}`, m.block(null, [
        m.local.set(x, m.v128.load(at, 8, m.local.get(o, i32))),
        m.v128.store(at, 8, m.local.get(o, i32), m.v128.andnot(m.local.get(x, v128), tiny(m.local.get(x, v128), (a, b) => m.f64x2.lt(a, b), (a, b) => m.f64x2.gt(a, b), splat))),
        m.local.set(o, m.i32.add(m.local.get(o, i32), m.i32.const(16))),
        m.br(`pairs${r}`, m.i32.lt_u(m.local.get(o, i32), m.i32.const(pairsEnd))),
      ])));
    }
    if (length % 2 === 1) {
      const last = at + (length - 1) * 8;
      const xi = m.f64.load(last, 8, m.i32.const(0));
      body.push(m.if(m.i32.and(m.f64.lt(xi, m.f64.const(FLUSH_BELOW)), m.f64.gt(m.f64.load(last, 8, m.i32.const(0)), m.f64.const(-FLUSH_BELOW))), m.f64.store(last, 8, m.i32.const(0), m.f64.const(0))));
    }
  });
  m.addFunction('flush', binaryen.none, binaryen.none, [i32, v128], body.length > 0 ? m.block(null, body) : m.nop());
}
