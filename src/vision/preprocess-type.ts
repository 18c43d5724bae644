import type { ImageShape } from './data/types.ts';

/**
 * Maps a batch of images (NHWC, [0, 1], `shape.n` images) to a batch of the same shape, finite
 * values (the sWTA filter stays in [0, 1]; standardization and contrast normalization are signed).
 * Must be deterministic and must not modify its input. A leaf: the filters implement it and
 * preprocess.ts names them, without importing each other in a circle.
 */
export type Preprocess = (images: Float32Array, shape: ImageShape) => Float32Array;
