export { swtaFilter, FITTED_MAX_INPUT_HZ, type SwtaFilter, type SwtaFilterOptions } from './swta-filter.ts';
