export { divisiveNormalization, MNIST_MEAN_PIXEL, type DivisiveOptions } from './divisive.ts';
export { localContrastNormalization, type LcnOptions } from './lcn.ts';
export { standardize } from './standardize.ts';
