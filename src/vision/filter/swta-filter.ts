import type { RateFitArtifact } from '../../calibration/rate-fit-artifact.ts';
import { activeRate, activeSetThreshold, effectiveGains, loneRateHz } from '../../rate/ltu.ts';
import type { ImageShape } from '../data/types.ts';
import type { Preprocess } from '../preprocess-type.ts';

/**
 * The sWTA image filter: the fitted rate sWTA of the calibration chain applied to an image.
 * Every pixel (per channel) is a pool; the pools of a window×window neighbourhood compete through
 * the shared inhibition of the linear-threshold sWTA, with the parameters of
 * data/calibration/rate-fit.json (α, β, T, γ_V, γ_L — none typed in here):
 *
 *   I_i = maxInputHz · pixel_i                     intensity → pool input rate
 *   u_i = (I_i − T) / (1 + γ_L L)                  LAMP5 drive L: divisive normalization
 *   β'  = β / (1 + γ_V V) / (1 + γ_L L)            VIP drive V: disinhibition (context gain)
 *   x_c = [u_c − θ]₊ / (1 − α'),   θ from the closed-form active set of the window (src/rate/ltu.ts)
 *   out = min(1, x_c / x_ref),    x_ref = a lone pool's response to maxInputHz (pixel 1), no context
 *
 * The centre pixel's output is its pool's steady state in its own neighbourhood (sliding window),
 * so strong local features are amplified and weaker neighbours suppressed. Deterministic; the
 * per-pixel work allocates nothing.
 */
export interface SwtaFilterOptions {
  /** Odd neighbourhood size in pixels. Default 3. */
  windowPx?: number;
  /**
   * Input rate (Hz per fibre) of a white pixel. Default: the largest winner input of the
   * transfer curves the rate model was fitted on (src/calibration/conditions.ts), so images stay
   * inside the fitted range.
   */
  maxInputHz?: number;
  vipHz?: number;
  lamp5Hz?: number;
  /**
   * Colour images: 'luminance' (default) runs the competition on luminance and rescales the three
   * channels by the luminance's output/input ratio, keeping hue (docs/reference/swta-and-truenorth.md §7);
   * 'perChannel' lets every channel compete on its own.
   */
  colour?: 'luminance' | 'perChannel';
  /**
   * Multiplies the shared-inhibition gain β of the fit (default 1). 0 turns the competition off:
   * every pool then answers its own pixel only, x = [u]₊ / (1 − α) — the filter's pointwise
   * transfer without the neighbourhood (a control arm of the OOD experiment).
   */
  competitionGain?: number;
}

export interface SwtaFilter extends Preprocess {
  readonly windowPx: number;
}

/** The rate fit's parameters and the input range its conditions covered: a white pixel drives at the top of it. */
export function swtaFilter(artifact: Pick<RateFitArtifact, 'params' | 'inputRangeHz'>, options: SwtaFilterOptions = {}): SwtaFilter {
  const p = artifact.params;
  const windowPx = options.windowPx ?? 3;
  if (!(Number.isInteger(windowPx) && windowPx >= 1 && windowPx % 2 === 1)) {
    throw new RangeError(`swtaFilter: windowPx must be an odd integer ≥ 1, got ${windowPx}`);
  }
  const maxInputHz = options.maxInputHz ?? artifact.inputRangeHz.max;
  const competitionGain = options.competitionGain ?? 1;
  if (!(competitionGain >= 0 && Number.isFinite(competitionGain))) throw new RangeError(`swtaFilter: competitionGain must be finite and ≥ 0, got ${competitionGain}`);
  const fitted = { ...p, beta: p.beta * competitionGain };
  const gains = effectiveGains(fitted, options);
  if (!(gains.alpha < 1)) throw new RangeError(`swtaFilter: the closed form needs effective α < 1, got ${gains.alpha}`);
  // Pixel → drive u = (s·maxInput·pixel − T)/(1 + γ_L L) as one multiply-add per pixel.
  const scale = (p.inputScale * maxInputHz) / gains.div;
  const offset = p.thresholdHz / gains.div;
  // Output unit: a lone pool at pixel 1 without context; fixed, so that VIP and LAMP5 drive act
  // as gains on the output.
  const xRef = Math.max(1e-9, loneRateHz(fitted, maxInputHz));
  const half = windowPx >> 1;
  const u = new Float64Array(windowPx * windowPx);

  const colour = options.colour ?? 'luminance';
  let lum: Float32Array = new Float32Array(0);

  const filter = ((images: Float32Array, shape: ImageShape): Float32Array => {
    const { n, height: H, width: W, channels: C } = shape;
    if (images.length !== n * H * W * C) throw new RangeError(`swtaFilter: ${images.length} values do not match shape ${n}×${H}×${W}×${C}`);
    if (C === 3 && colour === 'luminance') return viaLuminance(images, shape);
    return competePerChannel(images, shape);
  }) as SwtaFilter;

  /** Rec. 601 luminance competes; each channel is scaled by out/in of its pixel's luminance. */
  function viaLuminance(images: Float32Array, shape: ImageShape): Float32Array {
    const pixels = shape.n * shape.height * shape.width;
    if (lum.length !== pixels) lum = new Float32Array(pixels);
    for (let i = 0; i < pixels; i++) lum[i] = 0.299 * images[3 * i]! + 0.587 * images[3 * i + 1]! + 0.114 * images[3 * i + 2]!;
    const lumOut = competePerChannel(lum, { ...shape, channels: 1 });
    const out = new Float32Array(images.length);
    for (let i = 0; i < pixels; i++) {
      const gain = lum[i]! > 1e-6 ? lumOut[i]! / lum[i]! : 0;
      for (let c = 0; c < 3; c++) out[3 * i + c] = Math.min(1, images[3 * i + c]! * gain);
    }
    return out;
  }

  function competePerChannel(images: Float32Array, shape: ImageShape): Float32Array {
    const { n, height: H, width: W, channels: C } = shape;
    const out = new Float32Array(images.length);
    for (let img = 0; img < n; img++) {
      const base = img * H * W * C;
      for (let c = 0; c < C; c++) {
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) {
            // Gather the window's drives, sorted descending by insertion (≤ 49 pools).
            let k = 0;
            for (let dy = -half; dy <= half; dy++) {
              const yy = y + dy;
              if (yy < 0 || yy >= H) continue;
              for (let dx = -half; dx <= half; dx++) {
                const xx = x + dx;
                if (xx < 0 || xx >= W) continue;
                const v = scale * images[base + (yy * W + xx) * C + c]! - offset;
                let j = k++;
                while (j > 0 && u[j - 1]! < v) {
                  u[j] = u[j - 1]!;
                  j--;
                }
                u[j] = v;
              }
            }
            const theta = activeSetThreshold(u, k, gains);
            const centre = scale * images[base + (y * W + x) * C + c]! - offset;
            const response = activeRate(centre, theta, gains);
            out[base + (y * W + x) * C + c] = Math.min(1, response / xRef);
          }
        }
      }
    }
    return out;
  }
  Object.defineProperty(filter, 'windowPx', { value: windowPx });
  return filter;
}
