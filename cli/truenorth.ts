import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TrueNorthError, type TrueNorthIssue } from '../adapters/truenorth/errors.ts';
import { simulateNeuron } from '../adapters/truenorth/neuron.ts';
import { AXON_TYPES, checkNeuronParams, compileNeuron } from '../adapters/truenorth/neuron-params.ts';
import { Prng8, SEED_MAX } from '../adapters/truenorth/prng.ts';
import { didYouMean } from '../src/graph/suggest.ts';

const USAGE = 'usage: swta truenorth neuron --params P.json [--inputs I.json] [--ticks N] [--json]';
/** Most ticks one run may ask for (keeps the JSON output a sane size). */
const MAX_TICKS = 10_000_000;
/** Most inputs in one tick: a core has 256 axons. */
const MAX_INPUTS_PER_TICK = 256;
const DEFAULT_SEED = 1;

/**
 * `swta truenorth neuron --params P.json [--inputs I.json] [--ticks N] [--json]`: runs one TrueNorth
 * neuron (adapters/truenorth/neuron.ts) and prints V after each tick and the ticks that fired; with
 * --json one line `{"v": [...], "spikes": [...]}`. File formats: docs/truenorth-neuron.md.
 */
export async function main(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`${USAGE}\n\nFile formats: docs/truenorth-neuron.md. Exit codes: 0 success, 1 a bad parameter or input file, 2 a wrong command line.`);
    return;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        params: { type: 'string' },
        inputs: { type: 'string' },
        ticks: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const near = unknown === undefined ? '' : didYouMean(unknown, ['--params', '--inputs', '--ticks', '--json']);
    throw argsError('', 'options', `${unknown === undefined ? message : `unknown option '${unknown}'${near}`}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals[0] !== 'neuron' || positionals.length > 1) {
    const what = positionals.length === 0 ? 'no subcommand given' : `unknown subcommand '${positionals.join(' ')}'`;
    throw argsError('', 'subcommand', `${what}; the only subcommand is 'neuron' (${USAGE})`);
  }
  if (values.params === undefined) throw argsError('--params', 'required', `missing: give the neuron's parameter file (${USAGE})`);

  const paramsPath = values.params;
  const rawParams = await readJson(paramsPath, 'params file');
  const { params, issues } = checkNeuronParams(rawParams, { where: paramsPath, extraFields: ['seed'] });
  const seed = checkSeed(rawParams, paramsPath, issues);
  if (!params || seed === undefined) throw new TrueNorthError('TN_PARAMS_INVALID', issues);

  const inputs = values.inputs === undefined ? [] : checkInputs(await readJson(values.inputs, 'inputs file'), values.inputs);
  const ticks = resolveTicks(values.ticks, inputs.length, values.inputs);

  const trace = simulateNeuron(compileNeuron(params), inputs, { ticks, prn: new Prng8(seed) });
  if (values.json) {
    console.log(JSON.stringify(trace));
    return;
  }
  const fired = new Set(trace.spikes);
  console.log('tick        V  spike');
  trace.v.forEach((v, t) => console.log(`${String(t).padStart(4)} ${String(v).padStart(8)}  ${fired.has(t) ? '*' : ''}`));
  console.log(`${trace.spikes.length} spike${trace.spikes.length === 1 ? '' : 's'} in ${ticks} ticks`);
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    throw new TrueNorthError('TN_FILE_UNREADABLE', [{ where: path, field: '', rule: 'readable', message: `cannot read the ${what}: ${reason}` }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new TrueNorthError('TN_FILE_UNREADABLE', [{ where: path, field: '', rule: 'json', message: `the ${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}

/** `seed` is optional (default 1): a uint32. Adds to `issues` and returns undefined when wrong. */
function checkSeed(raw: unknown, where: string, issues: TrueNorthIssue[]): number | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const seed = (raw as Record<string, unknown>).seed;
  if (seed === undefined) return DEFAULT_SEED;
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= SEED_MAX) return seed;
  issues.push({ where, field: 'seed', rule: 'range', message: `must be an integer in [0, ${SEED_MAX}] (the PRNG seed), got ${JSON.stringify(seed)}` });
  return undefined;
}

/** I.json: an array with, per tick, an array of axon types 0..3 (one entry per axon that spiked). */
function checkInputs(raw: unknown, where: string): number[][] {
  if (!Array.isArray(raw)) {
    throw new TrueNorthError('TN_INPUTS_INVALID', [
      { where, field: '', rule: 'type', message: `must be an array with one array of axon types per tick, e.g. [[0], [0, 0, 2], []]; got ${raw === null ? 'null' : typeof raw}` },
    ]);
  }
  const issues: TrueNorthIssue[] = [];
  raw.forEach((tick: unknown, t) => {
    if (!Array.isArray(tick)) {
      issues.push({ where, field: `[${t}]`, rule: 'type', message: `tick ${t} must be an array of axon types (use [] for no input), got ${JSON.stringify(tick)}` });
      return;
    }
    if (tick.length > MAX_INPUTS_PER_TICK) {
      issues.push({ where, field: `[${t}]`, rule: 'range', message: `tick ${t} has ${tick.length} inputs; a core has ${MAX_INPUTS_PER_TICK} axons, so at most ${MAX_INPUTS_PER_TICK}` });
    }
    tick.forEach((g: unknown, k) => {
      if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g >= AXON_TYPES) {
        issues.push({ where, field: `[${t}][${k}]`, rule: 'axon-type', message: `must be an axon type, an integer in [0, ${AXON_TYPES - 1}], got ${JSON.stringify(g)}` });
      }
    });
  });
  if (issues.length > 0) throw new TrueNorthError('TN_INPUTS_INVALID', issues.slice(0, 20).concat(issues.length > 20 ? [{ where, field: '', rule: 'more', message: `… and ${issues.length - 20} more` }] : []));
  return raw as number[][];
}

/** --ticks: defaults to the length of the inputs; must cover them. */
function resolveTicks(flag: string | undefined, inputTicks: number, inputsPath: string | undefined): number {
  if (flag === undefined) {
    if (inputTicks === 0) throw argsError('--ticks', 'required', `missing: give --ticks N (no inputs to take the length from)`);
    return inputTicks;
  }
  const n = Number(flag);
  if (!/^\d+$/.test(flag) || n < 1 || n > MAX_TICKS) throw argsError('--ticks', 'range', `must be an integer in [1, ${MAX_TICKS}], got '${flag}'`);
  if (inputTicks > n) {
    throw argsError('--ticks', 'covers-inputs', `is ${n}, but ${inputsPath} lists ${inputTicks} ticks; raise --ticks to at least ${inputTicks} or shorten the inputs`);
  }
  return n;
}

function argsError(field: string, rule: string, message: string): TrueNorthError {
  return new TrueNorthError('TN_ARGS_INVALID', [{ where: 'swta truenorth', field, rule, message }]);
}
