/**
 * The parameters of a ViT: their names, shapes and seeded initial values.
 *
 * Initial values come from swta's own Random (xoshiro128**), not from TensorFlow.js, so a seed
 * gives the same network on every backend and platform:
 *   linear kernels  Glorot uniform, U(±√(6 / (fan_in + fan_out)))   (as the JAX ViT; the fused
 *                   Q|K|V kernel uses the fan-out of one of its three D×D parts)
 *   biases, LayerNorm β   0;   LayerNorm γ   1
 *   class token, position embedding   N(0, 0.02²)
 *   output head kernel   0 (as the JAX ViT: every class starts equally likely)
 */
import { Random } from '../../random.ts';
import { numTokens, usesClassToken, type VitConfig } from './config.ts';

export interface ParamSpec {
  name: string;
  shape: number[];
  init: 'glorot' | 'glorot-qkv' | 'zeros' | 'ones' | 'normal02';
}

/** Every parameter in a fixed order (the checkpoint order). */
export function paramSpecs(c: VitConfig): ParamSpec[] {
  const d = c.dim;
  const hidden = c.mlpRatio * d;
  const patchIn = c.patch * c.patch * c.channels;
  const specs: ParamSpec[] = [
    { name: 'embed/kernel', shape: [patchIn, d], init: 'glorot' },
    { name: 'embed/bias', shape: [d], init: 'zeros' },
    { name: 'pos_embed', shape: [numTokens(c), d], init: 'normal02' },
  ];
  if (usesClassToken(c)) specs.push({ name: 'cls_token', shape: [d], init: 'normal02' });
  for (let b = 0; b < c.depth; b++) {
    const p = `block${b}`;
    specs.push(
      { name: `${p}/ln1/gamma`, shape: [d], init: 'ones' },
      { name: `${p}/ln1/beta`, shape: [d], init: 'zeros' },
      // Q, K and V kernels side by side; initialised as three D×D Glorot matrices would be.
      { name: `${p}/attn/qkv/kernel`, shape: [d, 3 * d], init: 'glorot-qkv' },
      { name: `${p}/attn/qkv/bias`, shape: [3 * d], init: 'zeros' },
      { name: `${p}/attn/out/kernel`, shape: [d, d], init: 'glorot' },
      { name: `${p}/attn/out/bias`, shape: [d], init: 'zeros' },
      { name: `${p}/ln2/gamma`, shape: [d], init: 'ones' },
      { name: `${p}/ln2/beta`, shape: [d], init: 'zeros' },
      { name: `${p}/mlp/fc1/kernel`, shape: [d, hidden], init: 'glorot' },
      { name: `${p}/mlp/fc1/bias`, shape: [hidden], init: 'zeros' },
      { name: `${p}/mlp/fc2/kernel`, shape: [hidden, d], init: 'glorot' },
      { name: `${p}/mlp/fc2/bias`, shape: [d], init: 'zeros' },
    );
  }
  specs.push({ name: 'ln_final/gamma', shape: [d], init: 'ones' }, { name: 'ln_final/beta', shape: [d], init: 'zeros' });
  // Segmentation: each patch token predicts the logits of its p×p pixels (a linear decoder, as SETR-naive).
  const headOut = c.task === 'classify' ? c.numClasses : c.patch * c.patch * c.numClasses;
  specs.push({ name: 'head/kernel', shape: [d, headOut], init: 'zeros' }, { name: 'head/bias', shape: [headOut], init: 'zeros' });
  return specs;
}

/** Initial values of every parameter, as typed arrays, in paramSpecs order. */
export function initialValues(c: VitConfig): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const spec of paramSpecs(c)) {
    // One stream per parameter, so adding a parameter never changes the others' initial values.
    const rng = new Random(Random.derive(c.seed, spec.name));
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (spec.init === 'ones') values.fill(1);
    else if (spec.init === 'normal02') for (let i = 0; i < size; i++) values[i] = 0.02 * rng.normal();
    else if (spec.init === 'glorot' || spec.init === 'glorot-qkv') {
      const fanOut = spec.init === 'glorot' ? spec.shape[1]! : spec.shape[1]! / 3;
      const limit = Math.sqrt(6 / (spec.shape[0]! + fanOut));
      for (let i = 0; i < size; i++) values[i] = limit * (2 * rng.uniform() - 1);
    }
    out.set(spec.name, { shape: spec.shape, values });
  }
  return out;
}

/** Total number of scalar parameters. */
export function countParams(c: VitConfig): number {
  return paramSpecs(c).reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
}
