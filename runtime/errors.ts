/**
 * A module stopped working: its engine threw, a spike buffer overflowed, or the tick protocol was
 * broken around it. Carries the module, the tick it was on and the reason; `code` is stable, for
 * wire error replies. Every placement reports a failure with this one error.
 */
export class ModuleFailedError extends Error {
  readonly code = 'MODULE_FAILED';
  readonly module: string;
  readonly tick: number;
  readonly reason: string;

  constructor(module: string, tick: number, reason: string, options?: { cause?: unknown }) {
    super(`module '${module}' failed at tick ${tick}: ${reason}`, options);
    this.name = 'ModuleFailedError';
    this.module = module;
    this.tick = tick;
    this.reason = reason;
  }
}

/** The reason text of anything thrown. */
export function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
