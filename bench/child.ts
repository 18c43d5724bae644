import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchOptions } from './types.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A benchmark that must run in a process of its own (V8 flags such as --expose-gc or a young
 * generation of fixed size, or a process that relaunches itself with real-time flags): runs
 * `node <nodeFlags> --import tsx <script> <args> --json`, passes its stderr lines to the log and
 * returns the JSON object on the last line of its stdout.
 */
export function childBenchmark(description: string, script: string, nodeFlags: readonly string[] = []): Benchmark {
  return {
    description,
    run: (options: BenchOptions) => runChild(script, nodeFlags, options),
  };
}

function runChild(script: string, nodeFlags: readonly string[], options: BenchOptions): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...options.args, '--json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let pending = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => {
      const lines = (pending + b.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.log(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending) options.log(pending);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${script} exited with code ${code}`));
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`${script} did not end its stdout with a JSON line; got: ${last.slice(0, 200)}`));
      }
    });
  });
}
