import type { ImageShape } from '../data/types.ts';
import type { Preprocess } from '../preprocess-type.ts';

/**
 * Per-image standardization, the rule of TensorFlow's `tf.image.per_image_standardization`:
 * y = (x − mean) / max(sd, 1/√N) over the N = H·W·C values of each image, so every image has mean 0
 * and sd 1 (a constant image maps to 0). A global control: it removes an image's offset and gain,
 * which the sWTA filter removes locally.
 */
export function standardize(): Preprocess {
  return (images: Float32Array, shape: ImageShape): Float32Array => {
    const { n, height: H, width: W, channels: C } = shape;
    const per = H * W * C;
    if (images.length !== n * per) throw new RangeError(`standardize: ${images.length} values do not match shape ${n}×${H}×${W}×${C}`);
    const out = new Float32Array(images.length);
    const floor = 1 / Math.sqrt(per);
    for (let img = 0; img < n; img++) {
      const base = img * per;
      let sum = 0;
      for (let i = 0; i < per; i++) sum += images[base + i]!;
      const m = sum / per;
      let ss = 0;
      for (let i = 0; i < per; i++) ss += (images[base + i]! - m) ** 2;
      const scale = 1 / Math.max(Math.sqrt(ss / per), floor);
      for (let i = 0; i < per; i++) out[base + i] = (images[base + i]! - m) * scale;
    }
    return out;
  };
}
