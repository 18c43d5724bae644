import binaryen from 'binaryen';
import { C3, C4, FAST_EXP_MAX, FAST_EXP_MIN, LN2_HI_N, LN2_LO_N, N_OVER_LN2, ROUND } from './fast-exp.ts';

type Expr = binaryen.ExpressionRef;
type Module = binaryen.Module;

/**
 * Local variables of one function under construction: binaryen numbers locals after the
 * parameters, in the order of the `vars` list handed to addFunction.
 */
export class Locals {
  readonly vars: binaryen.Type[] = [];
  private readonly params: number;

  constructor(params: number) {
    this.params = params;
  }

  add(type: binaryen.Type): number {
    this.vars.push(type);
    return this.params + this.vars.length - 1;
  }
}

/** Where the tables of fastExp (fast-exp.ts) live in the engine's memory (byte addresses). */
export interface ExpTables {
  twoJ: number;
  twoM: number;
}

/**
 * The arithmetic of the neuron update on one lane (f64) or two (f64x2), so that the scalar and
 * the SIMD kernels are written once: every operation is the IEEE-754 double operation of the JS
 * kernel, in the same order (WebAssembly, like JS, never fuses or reorders floating-point
 * operations), so each lane computes exactly what the JS kernel computes for that neuron.
 */
export interface Lanes {
  readonly type: binaryen.Type;
  /** Bytes per step of the neuron loop: 8 (one neuron) or 16 (two). */
  readonly bytes: number;
  k(x: number): Expr;
  add(a: Expr, b: Expr): Expr;
  sub(a: Expr, b: Expr): Expr;
  mul(a: Expr, b: Expr): Expr;
  div(a: Expr, b: Expr): Expr;
  /** Lanes of a where a < b, else of c — without branches. */
  selectLt(a: Expr, b: Expr, ifLess: Expr, otherwise: Expr): Expr;
  load(offset: number, ptr: Expr): Expr;
  store(offset: number, ptr: Expr, value: Expr): Expr;
  /**
   * e^x exactly as fastExp computes it. Scalar: a call of the module's fastExp. SIMD: inline, the
   * fast path only: the caller must have checked that every lane is inside fastExp's fast range.
   */
  exp(x: Expr): Expr;
  get(local: number): Expr;
  set(local: number, value: Expr): Expr;
  tee(local: number, value: Expr): Expr;
  /** Code to run once before the neuron loop (SIMD: the constants' splats, hoisted into locals). */
  prologue(): Expr[];
}

/** Name of the imported Math.exp and of the scalar fastExp function every module defines. */
export const IMPORT_EXP = 'exp';
export const SCALAR_FAST_EXP = 'fastExp';

export function scalarLanes(m: Module): Lanes {
  const f64 = binaryen.f64;
  return {
    type: f64,
    bytes: 8,
    k: (x) => m.f64.const(x),
    add: (a, b) => m.f64.add(a, b),
    sub: (a, b) => m.f64.sub(a, b),
    mul: (a, b) => m.f64.mul(a, b),
    div: (a, b) => m.f64.div(a, b),
    selectLt: (a, b, ifLess, otherwise) => m.select(m.f64.lt(a, b), ifLess, otherwise),
    load: (offset, ptr) => m.f64.load(offset, 8, ptr),
    store: (offset, ptr, value) => m.f64.store(offset, 8, ptr, value),
    exp: (x) => m.call(SCALAR_FAST_EXP, [x], f64),
    get: (l) => m.local.get(l, f64),
    set: (l, v) => m.local.set(l, v),
    tee: (l, v) => m.local.tee(l, v, f64),
    prologue: () => [],
  };
}

/**
 * The scalar fastExp as a function of the module (fast-exp.ts, step for step): outside the fast
 * range it calls the imported Math.exp, as fastExp does.
 */
export function addScalarFastExp(m: Module, tables: ExpTables): void {
  const f64 = binaryen.f64;
  const i64 = binaryen.i64;
  // params: x (0); vars: t (1), kf (2), r (3), k (4, i64), tj (5)
  const get = (i: number): Expr => m.local.get(i, f64);
  const k = (): Expr => m.local.get(4, i64);
  const inRange = m.i32.and(m.f64.gt(get(0), m.f64.const(FAST_EXP_MIN)), m.f64.lt(get(0), m.f64.const(FAST_EXP_MAX)));
  const body = m.block(null, [
    m.if(m.i32.eqz(inRange), m.return(m.call(IMPORT_EXP, [get(0)], f64))),
    m.local.set(1, m.f64.add(m.f64.mul(get(0), m.f64.const(N_OVER_LN2)), m.f64.const(ROUND))),
    m.local.set(2, m.f64.sub(get(1), m.f64.const(ROUND))),
    m.local.set(3, m.f64.sub(m.f64.sub(get(0), m.f64.mul(get(2), m.f64.const(LN2_HI_N))), m.f64.mul(get(2), m.f64.const(LN2_LO_N)))),
    // k = kf | 0, read off the bits of kf + ROUND (the integer sits in the low mantissa bits).
    m.local.set(4, m.i64.sub(m.i64.reinterpret(get(1)), i64Const(m, ROUND_BITS))),
    m.local.set(5, m.f64.load(tables.twoJ, 8, m.i32.shl(m.i32.and(m.i32.wrap(k()), m.i32.const(255)), m.i32.const(3)))),
    m.return(m.f64.mul(
      m.f64.add(get(5), m.f64.mul(get(5), polynomial(() => get(3), (x, y) => m.f64.add(x, y), (x, y) => m.f64.mul(x, y), (c) => m.f64.const(c)))),
      m.f64.reinterpret(m.i64.shl(m.i64.add(m.i64.shr_s(k(), i64Const(m, 8n)), i64Const(m, BigInt(EXPONENT_BIAS))), i64Const(m, 52n))),
    )),
  ], binaryen.none);
  m.addFunction(SCALAR_FAST_EXP, binaryen.createType([f64]), f64, [f64, f64, f64, i64, f64], body);
}

/**
 * The bits of ROUND (1.5·2^52): kf + ROUND, as an integer, minus these is k. And 2^m as a double
 * is (m + 1023)·2^52 in bits: exactly fastExp's TWO_M[m + 1022] for the normal m of the fast range
 * (test/adapters/conductance/wasm.test.ts checks the table against it).
 */
const ROUND_BITS = new BigInt64Array(new Float64Array([ROUND]).buffer)[0]!;
export const EXPONENT_BIAS = 1023;

/** An i64 constant (binaryen 132 takes a bigint; its bundled typings still declare two 32-bit halves). */
function i64Const(m: Module, x: bigint): Expr {
  return m.i64.const(x);
}

/** p = r·(1 + r·(1/2 + r·(1/6 + r·(1/24)))), as fastExp nests it. */
function polynomial(r: () => Expr, add: (a: Expr, b: Expr) => Expr, mul: (a: Expr, b: Expr) => Expr, k: (c: number) => Expr): Expr {
  return mul(r(), add(k(1), mul(r(), add(k(0.5), mul(r(), add(k(C3), mul(r(), k(C4))))))));
}

export function simdLanes(m: Module, locals: Locals, tables: ExpTables): Lanes {
  const v128 = binaryen.v128;
  const f64 = binaryen.f64;
  // Each constant is splatted once, before the loop: V8 would otherwise rebuild it at every use.
  const constants = new Map<number | '-0', number>();
  const init: Expr[] = [];
  const splat = (x: number): Expr => {
    const key = Object.is(x, -0) ? '-0' : x;
    let local = constants.get(key);
    if (local === undefined) {
      local = locals.add(v128);
      constants.set(key, local);
      init.push(m.local.set(local, m.f64x2.splat(m.f64.const(x))));
    }
    return m.local.get(local, v128);
  };
  const add = (a: Expr, b: Expr): Expr => m.f64x2.add(a, b);
  const mul = (a: Expr, b: Expr): Expr => m.f64x2.mul(a, b);
  // Scratch locals of the inline exp, shared by every call site of this function.
  const x = locals.add(v128);
  const t = locals.add(v128);
  const kf = locals.add(v128);
  const r = locals.add(v128);
  const kb = locals.add(v128);
  const tj = locals.add(v128);
  const get = (l: number): Expr => m.local.get(l, v128);
  const i64s = (c: bigint): Expr => m.i64x2.splat(i64Const(m, c));
  // No branch, no call: a call inside the neuron loop, even on a path never taken, made V8 keep
  // vectors in memory around it, and a range test per pair cost 15 % of the kernel. The caller
  // checks the range once per population and step (wasm-emit.ts, fastRangeOfV).
  const exp = (arg: Expr): Expr => m.block(null, [
    m.local.set(x, arg),
    m.local.set(t, add(mul(get(x), splat(N_OVER_LN2)), splat(ROUND))),
    m.local.set(kf, m.f64x2.sub(get(t), splat(ROUND))),
    m.local.set(r, m.f64x2.sub(m.f64x2.sub(get(x), mul(get(kf), splat(LN2_HI_N))), mul(get(kf), splat(LN2_LO_N)))),
    m.local.set(kb, m.i64x2.sub(get(t), i64s(ROUND_BITS))),
    // 2^(j/256) for j = k & 255: byte offsets in the 64-bit lanes, read as i32 lanes 0 and 2.
    m.local.set(t, m.i64x2.shl(m.v128.and(get(kb), i64s(255n)), m.i32.const(3))),
    m.local.set(tj, m.v128.load64_lane(tables.twoJ, 8, 1, m.i32x4.extract_lane(get(t), 2), m.v128.load64_zero(tables.twoJ, 8, m.i32x4.extract_lane(get(t), 0)))),
    mul(
      add(get(tj), mul(get(tj), polynomial(() => get(r), add, mul, splat))),
      m.i64x2.shl(m.i64x2.add(m.i64x2.shr_s(get(kb), m.i32.const(8)), i64s(BigInt(EXPONENT_BIAS))), m.i32.const(52)),
    ),
  ], v128);
  return {
    type: v128,
    bytes: 16,
    k: splat,
    add,
    sub: (a, b) => m.f64x2.sub(a, b),
    mul,
    div: (a, b) => m.f64x2.div(a, b),
    selectLt: (a, b, ifLess, otherwise) => m.v128.bitselect(ifLess, otherwise, m.f64x2.lt(a, b)),
    load: (offset, ptr) => m.v128.load(offset, 8, ptr),
    store: (offset, ptr, value) => m.v128.store(offset, 8, ptr, value),
    exp,
    get,
    set: (l, v) => m.local.set(l, v),
    tee: (l, v) => m.local.tee(l, v, v128),
    prologue: () => init,
  };
}
