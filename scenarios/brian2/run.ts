import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs Brian2 reference scripts (scenarios/brian2/*.py) with Debian's
 * python3-brian. They run with /usr/bin/python3: the `python3` first on PATH may be another
 * installation without Debian's packages. Scripts read JSON on stdin and print one JSON object as
 * the last line of stdout; Brian2's warnings and logs go to stderr.
 */
export const BRIAN2_PYTHON = '/usr/bin/python3';

/** Repository root (this file lives in scenarios/brian2/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const BRIAN2_INSTALL_HINT =
  `install it with \`sudo apt-get install python3-brian\` (Debian/Ubuntu; .ci/run does this); ` +
  `the scripts run with ${BRIAN2_PYTHON}, not the python3 on PATH`;

export class Brian2MissingError extends Error {
  constructor(detail: string) {
    super(`Brian2 is not available to ${BRIAN2_PYTHON} (${detail}): ${BRIAN2_INSTALL_HINT}`);
    this.name = 'Brian2MissingError';
  }
}

export interface Brian2RunOptions {
  /** Command-line arguments after the script path. */
  args?: readonly string[];
  /** Kill the script after this many milliseconds (default 10 minutes). */
  timeoutMs?: number;
  /** Extra environment variables (e.g. SWTA_BRIAN2_TARGET, SWTA_BRIAN2_CACHE). */
  env?: Readonly<Record<string, string>>;
}

interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runProcess(command: string, args: readonly string[], stdin: string, options: Brian2RunOptions): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, PYTHONWARNINGS: 'ignore', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {
      /* the process may exit before reading stdin; reported through its exit code */
    });
    child.stdin.end(stdin);
  });
}

let availability: Promise<string> | undefined;

/**
 * Resolves to Brian2's version; rejects with Brian2MissingError (whose message says how to
 * install it) when /usr/bin/python3 is missing or cannot import brian2. Checked once per process.
 */
export function requireBrian2(): Promise<string> {
  availability ??= (async () => {
    let r: ProcessResult;
    try {
      r = await runProcess(BRIAN2_PYTHON, ['-W', 'ignore', '-c', 'import brian2; print(brian2.__version__)'], '', { timeoutMs: 120_000 });
    } catch (e) {
      throw new Brian2MissingError(e instanceof Error ? e.message : String(e));
    }
    if (r.code !== 0) {
      const last = r.stderr.trim().split('\n').pop() ?? `exit code ${r.code}`;
      throw new Brian2MissingError(last);
    }
    return r.stdout.trim();
  })();
  return availability;
}

/** True when Brian2 can be imported by /usr/bin/python3. */
export async function brian2Available(): Promise<boolean> {
  try {
    await requireBrian2();
    return true;
  } catch {
    return false;
  }
}

/**
 * Run a Brian2 script (path relative to the repository root) with `input` as JSON on stdin and
 * return the JSON object on the last line of its stdout. Throws Brian2MissingError when Brian2 is
 * not installed, and an error carrying the end of stderr when the script fails.
 */
export async function runBrian2<T>(script: string, input: unknown = {}, options: Brian2RunOptions = {}): Promise<T> {
  await requireBrian2();
  const path = resolve(REPO_ROOT, script);
  const r = await runProcess(BRIAN2_PYTHON, [path, ...(options.args ?? [])], JSON.stringify(input), options);
  if (r.code !== 0) {
    const tail = r.stderr.trim().split('\n').slice(-15).join('\n');
    const how = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`;
    throw new Error(`Brian2 script ${script} ${how}:\n${tail}`);
  }
  const lines = r.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`Brian2 script ${script} did not end its stdout with a JSON line; got: ${last.slice(0, 200)}`);
  }
}
