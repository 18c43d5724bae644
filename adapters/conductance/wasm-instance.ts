/**
 * The generated kernels' entry point (wasm-emit.ts). This file imports nothing and uses only the
 * WebAssembly API, so the same bytes instantiate in Node and in a browser Web Worker (where
 * synchronous compilation is allowed).
 */
export interface StepKernels {
  /** One integration step; 0, or k + 1 when population k got a non-finite membrane potential. */
  step(step: number): number;
  /** Once per tick: tiny synaptic state and w set to exactly 0 (kernel.ts, flushTiny). */
  flush(): void;
}

export function instantiateKernels(bytes: Uint8Array<ArrayBuffer>, memory: WebAssembly.Memory): StepKernels {
  const module = new WebAssembly.Module(bytes);
  // Math.exp itself, where fastExp (fast-exp.ts) falls back to it: the same doubles as in JS.
  const instance = new WebAssembly.Instance(module, { env: { memory }, Math: { exp: Math.exp } });
  const { step, flush } = instance.exports;
  if (typeof step !== 'function' || typeof flush !== 'function') throw new Error('the kernel module does not export step and flush');
  return { step: step as StepKernels['step'], flush: flush as StepKernels['flush'] };
}
