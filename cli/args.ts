import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../src/graph/suggest.ts';

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/**
 * Exit codes of every `swta` command (README, "Exit codes"): 0 success; 1 the command ran and
 * failed (a run error, a failed expectation of a working-memory script); 2 the command line was
 * wrong (unknown command or option, bad value), with the usage printed.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A wrong command line: main prints the message and exits with EXIT.usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * node:util parseArgs (strict) for one command, with the habits every command shares: `--help` /
 * `-h` anywhere prints `usage` and returns null (the command then does nothing); an unknown
 * option or a missing value is a UsageError naming the closest known option and ending with the
 * usage.
 */
export function parseCommandArgs<T extends ParseArgsConfig & { args: string[] }>(command: string, usage: string, config: T): Parsed<T> | null {
  if (config.args.includes('--help') || config.args.includes('-h')) {
    console.log(usage);
    return null;
  }
  try {
    return parseArgs<T>(config);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const known = Object.keys(config.options ?? {}).map((o) => `--${o}`);
    const hint = unknown === undefined ? '' : didYouMean(unknown, known);
    throw new UsageError(`${command}: ${unknown === undefined ? message : `unknown option '${unknown}'${hint}`}\n${usage}`);
  }
}

/** A UsageError, or an adapter's own argument error (TrueNorth's TN_ARGS_INVALID). */
export function isUsageError(e: unknown): boolean {
  return e instanceof UsageError || (e instanceof Error && (e as { code?: unknown }).code === 'TN_ARGS_INVALID');
}

/** Runs a value check (e.g. parseBackend) and turns what it throws into a UsageError. */
export function usage<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
