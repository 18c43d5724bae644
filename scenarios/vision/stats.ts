export { meanSd, type MeanSd } from '../../src/stats.ts';
