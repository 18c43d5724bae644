/**
 * A Vision Transformer (Dosovitskiy et al. 2021) with pre-norm blocks:
 * ```
 * z0   = [cls;] patchify(x) · E + b_E  + pos                 patch embedding (+ class token) + learned positions
 * z'_l = z_{l−1} + MSA(LN(z_{l−1}))                           l = 1 … depth
 * z_l  = z'_l + MLP(LN(z'_l)),  MLP(u) = GELU(u W1 + b1) W2 + b2
 * y    = LN(z_depth)
 * classify: logits = pool(y) · W_h + b_h     pool = class token or mean of patch tokens   [b, K]
 * segment:  logits = unpatchify(y · W_h + b_h)  each patch token → its p×p pixels' logits  [b, H, W, K]
 * ```
 * The parameters are tf.Variables keyed by name (params.ts); `forward` is a pure function of them.
 */
import { checkVitConfig, numPatches, usesClassToken, type VitConfig } from './config.ts';
import { tf } from './backend.ts';
import { dense, gelu, layerNorm, multiHeadSelfAttention, patchify, unpatchify } from './ops.ts';
import { countParams, initialValues, paramSpecs } from './params.ts';

export class VisionTransformer {
  readonly config: VitConfig;
  /** Trainable parameters by name, in checkpoint order. */
  readonly params: ReadonlyMap<string, tf.Variable>;

  /** A new model with seeded initial parameters, or with the given values (from a checkpoint). */
  constructor(config: VitConfig, values?: ReadonlyMap<string, tf.Tensor>) {
    this.config = checkVitConfig({ ...config });
    const params = new Map<string, tf.Variable>();
    if (values) {
      for (const spec of paramSpecs(this.config)) {
        const v = values.get(spec.name);
        if (!v) throw new Error(`ViT parameters: '${spec.name}' is missing (expected shape [${spec.shape.join(', ')}])`);
        if (v.shape.join() !== spec.shape.join()) {
          throw new Error(`ViT parameters: '${spec.name}' has shape [${v.shape.join(', ')}], expected [${spec.shape.join(', ')}] for this config`);
        }
        params.set(spec.name, tf.variable(v, true, uniqueName(spec.name)));
      }
    } else {
      for (const [name, { shape, values: init }] of initialValues(this.config)) {
        const t = tf.tensor(init, shape);
        params.set(name, tf.variable(t, true, uniqueName(name)));
        t.dispose(); // the variable holds its own reference to the data
      }
    }
    this.params = params;
  }

  /** Number of scalar parameters. */
  get size(): number {
    return countParams(this.config);
  }

  /** Logits for a batch of images [b, H, W, C] in [0, 1]: [b, K] (classify) or [b, H, W, K] (segment). */
  forward(images: tf.Tensor4D): tf.Tensor {
    const c = this.config;
    const p = (name: string): tf.Variable => {
      const v = this.params.get(name);
      if (!v) throw new Error(`ViT: no parameter '${name}'`);
      return v;
    };
    const b = images.shape[0];
    let z = dense(patchify(images, c.patch), p('embed/kernel'), p('embed/bias')); // [b, N, D]
    if (usesClassToken(c)) {
      const cls = tf.tile(tf.reshape(p('cls_token'), [1, 1, c.dim]), [b, 1, 1]);
      z = tf.concat([cls, z], 1);
    }
    z = tf.add(z, p('pos_embed'));
    for (let l = 0; l < c.depth; l++) {
      const pre = `block${l}`;
      const w = (name: string): [tf.Tensor, tf.Tensor] => [p(`${pre}/attn/${name}/kernel`), p(`${pre}/attn/${name}/bias`)];
      const h = layerNorm(z, p(`${pre}/ln1/gamma`), p(`${pre}/ln1/beta`));
      z = tf.add(z, multiHeadSelfAttention(h, { qkv: w('qkv'), out: w('out') }, c.heads));
      const m = layerNorm(z, p(`${pre}/ln2/gamma`), p(`${pre}/ln2/beta`));
      const hidden = gelu(dense(m, p(`${pre}/mlp/fc1/kernel`), p(`${pre}/mlp/fc1/bias`)));
      z = tf.add(z, dense(hidden, p(`${pre}/mlp/fc2/kernel`), p(`${pre}/mlp/fc2/bias`)));
    }
    const y = layerNorm(z, p('ln_final/gamma'), p('ln_final/beta'));
    if (c.task === 'classify') {
      const pooled = usesClassToken(c) ? tf.squeeze(tf.slice(y, [0, 0, 0], [b, 1, c.dim]), [1]) : tf.mean(y, 1);
      return dense(pooled, p('head/kernel'), p('head/bias'));
    }
    const perPatch = dense(y, p('head/kernel'), p('head/bias')); // [b, N, p·p·K]
    return unpatchify(perPatch, c.patch, c.height / c.patch, c.width / c.patch);
  }

  /** Frees the parameters' memory. The model cannot be used afterwards. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/**
 * Forward FLOPs per image (multiply–add = 2 FLOPs; matrix products, attention and the heads;
 * element-wise ops, softmax and LayerNorm left out, < 5 % here). A training step costs ≈ 3× this.
 */
export function forwardFlops(c: VitConfig): number {
  const n = numPatches(c);
  const t = n + (usesClassToken(c) ? 1 : 0);
  const d = c.dim;
  const embed = 2 * n * c.patch * c.patch * c.channels * d;
  const attnProj = 2 * t * d * d * 4;
  const attnCore = 2 * t * t * d * 2;
  const mlp = 2 * t * d * c.mlpRatio * d * 2;
  const head = c.task === 'classify' ? 2 * d * c.numClasses : 2 * n * d * c.patch * c.patch * c.numClasses;
  return embed + c.depth * (attnProj + attnCore + mlp) + head;
}

let counter = 0;
/** tf.variable names are global in the engine: make each model's names unique. */
function uniqueName(name: string): string {
  return `vit${counter++}/${name}`;
}
