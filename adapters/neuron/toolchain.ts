import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The NEURON toolchain on Debian (packages python3-neuron, neuron-dev, openmpi-bin, python3-mpi4py;
 * .ci/run installs them): where the pieces are, and the compiled mechanisms of mod/.
 *
 * Debian's nrnivmodl looks for nrnmech_makefile in its bindir (/usr/bin) while the package puts
 * it in /usr/lib/nrn, and its link needs -L/usr/lib/nrn with an rpath. nrnivmodl takes its bindir
 * from NRNHOME_EXEC, so the build points that at a directory whose bin/ holds a link to the real
 * makefile. libnrnmech.so then builds; the `special` executable does not (nrnmain.cpp includes
 * an InterViews header Debian does not ship) and is not needed: the runner loads the library
 * with nrn_load_dll. The library goes to a cache directory named by a hash of the mod files, so a
 * changed mod file is rebuilt and nothing compiled is committed.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
export const MOD_DIR = join(HERE, 'mod');
export const RUNNER_SCRIPT = join(HERE, 'run_network.py');
/** The interpreter with Debian's python3-neuron (the `python3` on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';
const NRN_LIB_DIR = '/usr/lib/nrn';
const MAKEFILE = join(NRN_LIB_DIR, 'nrnmech_makefile');
const CACHE_ROOT = resolve(HERE, '..', '..', '.tmp', 'neuron-mechanisms');

/** A missing piece of the toolchain, named with the Debian package that provides it. */
export class NeuronToolchainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NeuronToolchainError';
  }
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Every missing piece, as messages naming the package; empty when NEURON can run here. */
export function missingToolchain(options: { mpi?: boolean } = {}): string[] {
  const missing: string[] = [];
  if (!existsSync(PYTHON)) missing.push(`${PYTHON} is missing (apt-get install python3)`);
  else {
    const r = spawnSync(PYTHON, ['-c', 'import neuron, numpy'], { encoding: 'utf8', cwd: '/' });
    if (r.status !== 0) missing.push(`${PYTHON} cannot import neuron and numpy (apt-get install python3-neuron python3-numpy): ${lastLine(r.stderr)}`);
  }
  if (!onPath('nrnivmodl')) missing.push('nrnivmodl is not on PATH (apt-get install neuron-dev)');
  if (!existsSync(MAKEFILE)) missing.push(`${MAKEFILE} is missing (apt-get install neuron-dev)`);
  if (!onPath('g++')) missing.push('g++ is not on PATH (apt-get install g++)');
  if (options.mpi && !onPath('mpirun')) missing.push('mpirun is not on PATH (apt-get install openmpi-bin)');
  return missing;
}

/** Throws NeuronToolchainError listing what is missing. */
export function requireToolchain(options: { mpi?: boolean } = {}): void {
  const missing = missingToolchain(options);
  if (missing.length > 0) throw new NeuronToolchainError(`the NEURON backend cannot run here:\n  - ${missing.join('\n  - ')}`);
}

function lastLine(s: string): string {
  return s.trim().split('\n').at(-1) ?? '';
}

function modFiles(): string[] {
  return readdirSync(MOD_DIR).filter((f) => f.endsWith('.mod')).sort();
}

/** The hash naming a build: the mod files' names and contents. */
function modHash(): string {
  const h = createHash('sha256');
  for (const f of modFiles()) h.update(f).update('\0').update(readFileSync(join(MOD_DIR, f))).update('\0');
  return h.digest('hex').slice(0, 16);
}

/**
 * The path of libnrnmech.so with every mechanism of mod/, compiled on first use (a few seconds)
 * into .tmp/neuron-mechanisms/<hash>/. Throws NeuronToolchainError naming what is missing, or
 * with the compiler's output when the build fails.
 */
export function mechanismLibrary(): string {
  const dir = join(CACHE_ROOT, modHash());
  const lib = join(dir, 'x86_64', '.libs', 'libnrnmech.so');
  if (existsSync(lib)) return lib;
  requireToolchain();
  // Build in a scratch directory and move it into place: concurrent builds (test workers) never
  // see a half-written library.
  const scratch = `${dir}.build-${process.pid}-${Date.now()}`;
  mkdirSync(join(scratch, 'home', 'bin'), { recursive: true });
  symlinkSync(MAKEFILE, join(scratch, 'home', 'bin', 'nrnmech_makefile'));
  const files = modFiles().map((f) => join(MOD_DIR, f));
  const r = spawnSync('nrnivmodl', ['-loadflags', `-L${NRN_LIB_DIR} -Wl,-rpath,${NRN_LIB_DIR}`, ...files], {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, NRNHOME_EXEC: join(scratch, 'home') },
  });
  const built = join(scratch, 'x86_64', '.libs', 'libnrnmech.so');
  if (!existsSync(built)) {
    writeFileSync(join(scratch, 'build.log'), `${r.stdout}\n${r.stderr}`);
    throw new NeuronToolchainError(`nrnivmodl did not build libnrnmech.so (log: ${join(scratch, 'build.log')}):\n${(r.stdout + r.stderr).split('\n').slice(-15).join('\n')}`);
  }
  mkdirSync(CACHE_ROOT, { recursive: true });
  try {
    renameSync(scratch, dir);
  } catch {
    // Another process finished the same build first: use its library.
    rmSync(scratch, { recursive: true, force: true });
  }
  return lib;
}
