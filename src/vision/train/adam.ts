/**
 * AdamW (Loshchilov & Hutter 2019) with a per-step learning rate, written out because tf.train.adam
 * fixes its learning rate at construction. Per parameter θ with gradient g, at step t ≥ 1:
 * ```
 * m ← β1 m + (1 − β1) g          v ← β2 v + (1 − β2) g²
 * θ ← θ − lr_t · ( m / (1 − β1^t) / (√(v / (1 − β2^t)) + ε) + λ θ )     λ only for kernels
 * ```
 * and the schedule: linear warm-up over `warmupSteps`, then cosine decay to 0 at `totalSteps`.
 */
import { tf } from '../vit/backend.ts';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay λ, applied to parameters whose name ends in 'kernel'; default 0. */
  weightDecay?: number;
}

export class AdamW {
  private readonly vars: readonly { name: string; v: tf.Variable; m1: tf.Variable; m2: tf.Variable; decay: boolean }[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private t = 0;

  /** `params`: name → variable (the names decide weight decay). */
  constructor(params: ReadonlyMap<string, tf.Variable>, opts: AdamWOptions = {}) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.vars = [...params].map(([name, v]) => ({ name, v, m1: zerosVariable(v), m2: zerosVariable(v), decay: name.endsWith('kernel') }));
  }

  /** One step on `loss` (a function of the parameters) at learning rate `lr`; returns the loss value. */
  step(loss: () => tf.Scalar, lr: number): tf.Scalar {
    this.t++;
    const t = this.t;
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, this.vars.map((p) => p.v));
      const c1 = 1 - this.beta1 ** t;
      const c2 = 1 - this.beta2 ** t;
      for (const p of this.vars) {
        const g = grads[p.v.name];
        if (!g) continue; // a parameter the loss does not depend on
        p.m1.assign(tf.add(tf.mul(this.beta1, p.m1), tf.mul(1 - this.beta1, g)));
        p.m2.assign(tf.add(tf.mul(this.beta2, p.m2), tf.mul(1 - this.beta2, tf.square(g))));
        let update = tf.div(tf.div(p.m1, c1), tf.add(tf.sqrt(tf.div(p.m2, c2)), this.epsilon));
        if (p.decay && this.weightDecay > 0) update = tf.add(update, tf.mul(this.weightDecay, p.v));
        p.v.assign(tf.sub(p.v, tf.mul(lr, update)));
      }
      return tf.keep(value);
    });
  }

  dispose(): void {
    for (const p of this.vars) {
      p.m1.dispose();
      p.m2.dispose();
    }
  }
}

/** A non-trainable variable of zeros shaped like `v` (the initial tensor is freed; the variable keeps the data). */
function zerosVariable(v: tf.Variable): tf.Variable {
  const zeros = tf.zerosLike(v);
  const out = tf.variable(zeros, false);
  zeros.dispose();
  return out;
}

/** Linear warm-up to `base` over `warmupSteps`, then cosine decay to 0 at `totalSteps` (step counts from 1). */
export function learningRateAt(step: number, totalSteps: number, base: number, warmupSteps: number): number {
  if (step <= warmupSteps) return (base * step) / Math.max(1, warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return base * 0.5 * (1 + Math.cos(Math.PI * progress));
}
