import type { AdapterRef } from '../runtime/adapter.ts';
import { CONDUCTANCE_ADAPTER } from '../runtime/adapter.ts';
import { parseBackend, type Backend } from './swta/module-runner.ts';

/**
 * The adapters a scenario can run on (`swta run <scenario> --backend conductance|truenorth`), as
 * the runtime loads them: a module address exporting compile(graph, { seed }). The TrueNorth
 * adapter compiles with the committed gain-matching calibration (data/calibration/gain-matching.json).
 */
export const TRUENORTH_ADAPTER: AdapterRef = {
  href: new URL('../adapters/truenorth/index.ts', import.meta.url).href,
};

export function adapterRef(backend: Backend): AdapterRef {
  return backend === 'truenorth' ? TRUENORTH_ADAPTER : CONDUCTANCE_ADAPTER;
}

/** The adapter of a scenario's --backend value (checked). */
export function adapterFor(name: string | undefined): AdapterRef {
  return adapterRef(parseBackend(name));
}

export { parseBackend, type Backend };
