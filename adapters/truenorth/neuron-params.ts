/**
 * TrueNorth neuron parameters under IBM's "NeuronGeneral" names (pytruenorth NEURON_PARAM_NAMES),
 * their register widths and ranges, validation, and the compiled (signed, decoded) form the
 * emulator runs on. The dynamics are in neuron.ts (scalar) and core.ts (256 neurons at once).
 *
 * Register widths: where the chip's width is public we use it; where it is only "commonly
 * reported" [K] we say so; where we had to choose, we say why.
 */
import { TrueNorthError, type TrueNorthIssue } from './errors.ts';

// --- registers and ranges ------------------------------------------------------------------------

/** Membrane potential V: signed, saturating at ±393216, NeMo's bound (overUnderflowCheck). It fits
 *  the 20-bit signed register commonly reported for TN [K] (2^19 = 524288 > 393216). */
export const V_MAX = 393216;
export const V_MIN = -393216;
/** Synaptic weight magnitude s_G: uint8 [0, 255]; with sign sigma_G the weight is 9-bit signed. */
export const WEIGHT_MAX = 255;
/** Leak magnitude lambda: uint8 [0, 255]; with sign sigma_lambda the leak is 9-bit signed. */
export const LEAK_MAX = 255;
/** Thresholds alpha (positive) and beta (negative, stored as a magnitude): 18-bit unsigned
 *  [0, 262143], the width commonly reported for TN [K]. */
export const THRESHOLD_MAX = (1 << 18) - 1; // 262143
/** Threshold mask bits TM: the stochastic threshold adds rho & (2^TM − 1). Our draws are 8-bit, so
 *  TM ∈ [0, 8]; more mask bits would have nothing to select. */
export const TM_MAX = 8;
/** Encoded reset potential VR: R = sigma_VR · (2^VR − 1). VR ∈ [0, 18] keeps |R| ≤ 262143, inside
 *  the threshold range and the V register. */
export const VR_MAX = 18;
/** Axon types per core (G ∈ {0, 1, 2, 3}). */
export const AXON_TYPES = 4;
/** Reset modes: gamma 0 = normal (to R), 1 = linear (subtract threshold), 2 = non-reset. */
export const GAMMA_MAX = 2;

// --- IBM-named parameters ------------------------------------------------------------------------

/** A sign: +1 or −1. */
export type Sign = 1 | -1;
/** A one-bit flag. IBM's JSON writes booleans; we accept true/false or 0/1 and store 0/1. */
export type Flag = 0 | 1;

/** One neuron's parameters, IBM names, already validated (see PARAM_RULES for each range). */
export interface TrueNorthNeuronParams {
  sigma0: Sign; sigma1: Sign; sigma2: Sign; sigma3: Sign; // weight signs per axon type
  s0: number; s1: number; s2: number; s3: number; // weight magnitudes, uint8
  b0: Flag; b1: Flag; b2: Flag; b3: Flag; // stochastic synapse per axon type
  sigma_lambda: Sign; // leak sign
  lambda: number; // leak magnitude, uint8
  c_lambda: Flag; // stochastic leak
  epsilon: Flag; // leak reversal: 0 = monotonic, 1 = toward (lambda < 0) / away from (lambda > 0) 0
  alpha: number; // positive threshold, uint18
  beta: number; // negative threshold magnitude, uint18
  TM: number; // threshold PRN mask bits, [0, 8]
  gamma: 0 | 1 | 2; // reset mode
  kappa: Flag; // 1 = negative threshold saturates V at −beta
  sigma_VR: Sign; // reset potential sign
  VR: number; // reset potential exponent: R = sigma_VR·(2^VR − 1)
  V: number; // initial membrane potential
}

export type ParamName = keyof TrueNorthNeuronParams;

type Rule = { kind: 'sign' } | { kind: 'flag' } | { kind: 'int'; min: number; max: number };

const SIGN: Rule = { kind: 'sign' };
const FLAG: Rule = { kind: 'flag' };
const u8: Rule = { kind: 'int', min: 0, max: WEIGHT_MAX };

/** Each IBM field and its rule, in pytruenorth's order. */
export const PARAM_RULES: Readonly<Record<ParamName, Rule>> = {
  sigma0: SIGN, sigma1: SIGN, sigma2: SIGN, sigma3: SIGN,
  s0: u8, s1: u8, s2: u8, s3: u8,
  b0: FLAG, b1: FLAG, b2: FLAG, b3: FLAG,
  sigma_lambda: SIGN,
  lambda: { kind: 'int', min: 0, max: LEAK_MAX },
  c_lambda: FLAG,
  epsilon: FLAG,
  alpha: { kind: 'int', min: 0, max: THRESHOLD_MAX },
  beta: { kind: 'int', min: 0, max: THRESHOLD_MAX },
  TM: { kind: 'int', min: 0, max: TM_MAX },
  gamma: { kind: 'int', min: 0, max: GAMMA_MAX },
  kappa: FLAG,
  sigma_VR: SIGN,
  VR: { kind: 'int', min: 0, max: VR_MAX },
  V: { kind: 'int', min: V_MIN, max: V_MAX },
};

export const PARAM_NAMES = Object.keys(PARAM_RULES) as readonly ParamName[];

/** An inert neuron: no weights, no leak, never fires, never draws. Unconfigured core neurons are this. */
export const INERT_NEURON: Readonly<TrueNorthNeuronParams> = {
  sigma0: 1, sigma1: 1, sigma2: 1, sigma3: 1,
  s0: 0, s1: 0, s2: 0, s3: 0,
  b0: 0, b1: 0, b2: 0, b3: 0,
  sigma_lambda: 1, lambda: 0, c_lambda: 0, epsilon: 0,
  alpha: 1, beta: 0, TM: 0, gamma: 0, kappa: 1, sigma_VR: 1, VR: 0, V: 0,
};

// --- validation ----------------------------------------------------------------------------------

/**
 * Checks a raw object (e.g. parsed P.json) field by field. Every IBM field is required: nothing is
 * silently defaulted, since the point of the file is comparison with other implementations.
 * `extraFields` are allowed and ignored here (the CLI allows 'seed').
 */
export function checkNeuronParams(
  raw: unknown,
  options: { where: string; extraFields?: readonly string[] },
): { params: TrueNorthNeuronParams | undefined; issues: TrueNorthIssue[] } {
  const where = options.where;
  const issues: TrueNorthIssue[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({ where, field: '', rule: 'type', message: `must be a JSON object of neuron parameters, got ${describe(raw)}` });
    return { params: undefined, issues };
  }
  const obj = raw as Record<string, unknown>;
  const extra = new Set(options.extraFields ?? []);
  for (const key of Object.keys(obj)) {
    if (key in PARAM_RULES || extra.has(key)) continue;
    const guess = closest(key, [...PARAM_NAMES, ...extra]);
    issues.push({
      where, field: key, rule: 'unknown-field',
      message: `unknown field${guess ? `; did you mean '${guess}'?` : ''} (fields: ${[...PARAM_NAMES, ...extra].join(', ')})`,
    });
  }
  const out: Record<string, number> = {};
  for (const name of PARAM_NAMES) {
    const rule = PARAM_RULES[name];
    const value = obj[name];
    if (value === undefined) {
      issues.push({ where, field: name, rule: 'required', message: `missing; expected ${expectation(rule)}` });
      continue;
    }
    const parsed = checkValue(value, rule);
    if (parsed === undefined) {
      const ruleName = rule.kind === 'int' ? (typeof value === 'number' && Number.isInteger(value) ? 'range' : 'integer') : rule.kind;
      issues.push({ where, field: name, rule: ruleName, message: `must be ${expectation(rule)}, got ${describe(value)}` });
    } else {
      out[name] = parsed;
    }
  }
  return { params: issues.length === 0 ? (out as unknown as TrueNorthNeuronParams) : undefined, issues };
}

/** Like checkNeuronParams, but throws a TrueNorthError (code TN_PARAMS_INVALID) listing every issue. */
export function parseNeuronParams(raw: unknown, options: { where: string; extraFields?: readonly string[] }): TrueNorthNeuronParams {
  const { params, issues } = checkNeuronParams(raw, options);
  if (!params) throw new TrueNorthError('TN_PARAMS_INVALID', issues);
  return params;
}

function checkValue(value: unknown, rule: Rule): number | undefined {
  switch (rule.kind) {
    case 'sign':
      return value === 1 || value === -1 ? value : undefined;
    case 'flag':
      if (value === true || value === 1) return 1;
      if (value === false || value === 0) return 0;
      return undefined;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max ? value : undefined;
  }
}

function expectation(rule: Rule): string {
  switch (rule.kind) {
    case 'sign':
      return 'a sign, 1 or -1';
    case 'flag':
      return 'a flag, 0/1 or false/true';
    case 'int':
      return `an integer in [${rule.min}, ${rule.max}]`;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** The known name nearest to `name` (edit distance ≤ 2, case-insensitive), for "did you mean". */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// --- compiled form -------------------------------------------------------------------------------

/** The decoded parameters the update rule uses (all plain integers). */
export interface CompiledNeuron {
  /** Signed weight per axon type, sigma_G·s_G ∈ [−255, 255]. */
  weight: readonly [number, number, number, number];
  /** Stochastic-synapse flag per axon type (b_G). */
  stochasticSynapse: readonly [Flag, Flag, Flag, Flag];
  /** Signed leak sigma_lambda·lambda ∈ [−255, 255]. */
  leak: number;
  stochasticLeak: Flag;
  epsilon: Flag;
  alpha: number;
  beta: number;
  /** 2^TM − 1 ∈ [0, 255]: eta = rho & thresholdMask. */
  thresholdMask: number;
  gamma: 0 | 1 | 2;
  kappa: Flag;
  /** R = sigma_VR·(2^VR − 1) ∈ [−262143, 262143]. */
  resetPotential: number;
  /** Initial V. */
  v0: number;
}

export function compileNeuron(p: TrueNorthNeuronParams): CompiledNeuron {
  return {
    weight: [p.sigma0 * p.s0, p.sigma1 * p.s1, p.sigma2 * p.s2, p.sigma3 * p.s3],
    stochasticSynapse: [p.b0, p.b1, p.b2, p.b3],
    leak: p.sigma_lambda * p.lambda,
    stochasticLeak: p.c_lambda,
    epsilon: p.epsilon,
    alpha: p.alpha,
    beta: p.beta,
    thresholdMask: (1 << p.TM) - 1,
    gamma: p.gamma,
    kappa: p.kappa,
    resetPotential: p.sigma_VR * ((1 << p.VR) - 1),
    v0: p.V,
  };
}
