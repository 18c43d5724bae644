import { writeFileSync } from 'node:fs';
import { loadMnist } from '../../src/vision/data/mnist.ts';

/**
 * A Y4M video (what Chromium's --use-file-for-fake-video-capture plays, in a loop) of one MNIST
 * test digit written dark on white paper, as a webcam would see it: `frames` identical 4:2:0
 * frames of width × height, the digit bilinearly scaled to 70 % of the height and centred.
 * Returns the digit's label.
 */
export function writeDigitY4m(path: string, options: { index?: number; width?: number; height?: number; frames?: number } = {}): number {
  const W = options.width ?? 320;
  const H = options.height ?? 240;
  const frames = options.frames ?? 10;
  const ds = loadMnist({ split: 'test', limit: (options.index ?? 0) + 1 });
  const i = options.index ?? 0;
  const img = ds.images.subarray(i * 784, (i + 1) * 784);
  const side = Math.round(0.7 * H);
  const x0 = Math.floor((W - side) / 2);
  const y0 = Math.floor((H - side) / 2);
  const luma = new Uint8Array(W * H).fill(235); // paper
  const at = (x: number, y: number): number => img[Math.min(27, Math.max(0, y)) * 28 + Math.min(27, Math.max(0, x))]!;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const fx = (x * 28) / side - 0.5;
      const fy = (y * 28) / side - 0.5;
      const ix = Math.floor(fx);
      const iy = Math.floor(fy);
      const ax = fx - ix;
      const ay = fy - iy;
      const v = (1 - ay) * ((1 - ax) * at(ix, iy) + ax * at(ix + 1, iy)) + ay * ((1 - ax) * at(ix, iy + 1) + ax * at(ix + 1, iy + 1));
      luma[(y0 + y) * W + x0 + x] = Math.round(235 - 215 * v); // ink
    }
  }
  const chroma = new Uint8Array((W / 2) * (H / 2)).fill(128);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
  return ds.labels[i]!;
}
