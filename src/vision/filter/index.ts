export { swtaFilter, type SwtaFilter, type SwtaFilterOptions } from './swta-filter.ts';
