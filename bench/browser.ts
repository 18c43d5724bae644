/**
 * The static page's live demo in headless Chromium (npm run build:web): the achieved real-time
 * factor, busy factor and deadline misses of the simulation worker, read from the page's status
 * messages over a measured window after a warm-up, with one pool pair held (cue pool 0). Per
 * backend, twice: from a plain static server (no SharedArrayBuffer: the pacer waits on timers
 * alone) and cross-origin isolated (COOP/COEP headers: SharedArrayBuffer, so the clock's precise
 * Atomics.wait sleep; runtime/clock.ts). For reference, the same live host in this Node process,
 * in the same minutes, with one client subscribed to every stream as the page's viewer is (its
 * frames encoded and dropped; the machine is shared: only runs side by side compare).
 *
 * `npm run bench -- browser [--json] [--seconds 10] [--warmup 3]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { backendInfo } from '../runtime/server/backends.ts';
import { loadImageFilter } from '../runtime/server/camera-filter.ts';
import { encodeMessage } from '../runtime/server/codec.ts';
import { createLiveHost, LIVE_HOST_DEFAULTS } from '../runtime/server/live-host.ts';
import { LiveSimulation } from '../runtime/server/live-sim.ts';
import type { LiveStatus } from '../runtime/server/live-status.ts';
import { PROTOCOL_VERSION, type StatusMessage } from '../runtime/server/protocol.ts';
import { buildWeb } from '../runtime/web/build.ts';
import { serveStatic } from '../runtime/web/static-server.ts';
import { chromiumAvailable, launchChromium } from '../runtime/web/chromium.ts';
import type { Benchmark, BenchOptions } from './types.ts';

const round = (x: number, d = 3): number => Number(x.toFixed(d));

const statusOf = (page: Page): Promise<StatusMessage | null> => page.evaluate(() => (window as unknown as { __swta: { status: StatusMessage | null } }).__swta.status);

interface Window {
  where: 'chromium' | 'node';
  backend: string;
  crossOriginIsolated: boolean;
  /** From navigation to the first run started in the worker (bundles loaded, binaryen initialised, network compiled). */
  readyMs: number;
  simulatedMs: number;
  wallMs: number;
  realTimeFactor: number;
  busyFactor: number;
  deadlineMisses: number;
  missesPerSecond: number;
  maxLagMs: number;
  state: string | null;
}

async function measure(url: string, dir: string, backend: string, seconds: number, warmup: number, log: (l: string) => void): Promise<Window> {
  const { context, page } = await launchChromium(join(dir, `profile-${backend}-${Date.now()}`));
  try {
    const t0 = Date.now();
    await page.goto(`${url}?backend=${backend}`);
    await page.waitForSelector('#status[data-state="open"]', { timeout: 60_000 });
    const readyMs = Date.now() - t0;
    await page.click('#cue-0');
    await page.waitForTimeout(warmup * 1000);
    const a = await statusOf(page);
    await page.waitForTimeout(seconds * 1000);
    const b = await statusOf(page);
    if (!a || !b) throw new Error('the page reported no status');
    const w: Window = {
      ...figures(a, b),
      where: 'chromium',
      backend,
      crossOriginIsolated: await page.evaluate(() => self.crossOriginIsolated),
      readyMs,
      state: await page.evaluate(() => (window as unknown as { __swta: { state: string | null } }).__swta.state),
    };
    log(describe(w));
    return w;
  } finally {
    await context.close();
  }
}

type Figures = Pick<Window, 'simulatedMs' | 'wallMs' | 'realTimeFactor' | 'busyFactor' | 'deadlineMisses' | 'missesPerSecond' | 'maxLagMs'>;

/** The clock figures between two status snapshots of one run. */
function figures(a: Pick<LiveStatus, 'simulatedMs' | 'wallMs' | 'busyFactor' | 'deadlineMisses'>, b: Pick<LiveStatus, 'simulatedMs' | 'wallMs' | 'busyFactor' | 'deadlineMisses' | 'maxLagMs'>): Figures {
  const simulatedMs = b.simulatedMs - a.simulatedMs;
  const wallMs = b.wallMs - a.wallMs;
  const misses = b.deadlineMisses - a.deadlineMisses;
  return {
    simulatedMs: round(simulatedMs, 0),
    wallMs: round(wallMs, 0),
    realTimeFactor: round(wallMs / simulatedMs),
    busyFactor: round((b.busyFactor * b.simulatedMs - a.busyFactor * a.simulatedMs) / simulatedMs),
    deadlineMisses: misses,
    missesPerSecond: round((1000 * misses) / simulatedMs, 1),
    maxLagMs: round(b.maxLagMs, 1),
  };
}

function describe(w: Window): string {
  const where = w.where === 'node' ? 'node    ' : w.crossOriginIsolated ? 'isolated' : 'plain   ';
  return `${w.backend.padEnd(11)} ${where}  running ${(w.readyMs / 1000).toFixed(1)} s after start; ${(w.simulatedMs / 1000).toFixed(1)} s simulated: real-time factor ${w.realTimeFactor}, ` +
    `busy ${w.busyFactor}, deadline misses ${w.deadlineMisses} (${w.missesPerSecond}/s, slack 5 ms), max lag ${w.maxLagMs} ms (whole run), state ${w.state}`;
}

/** The same live host in this Node process (actors on the main thread, the Node clock), one client that reads every frame at once. */
async function measureNode(backend: 'conductance' | 'truenorth', seconds: number, warmup: number, log: (l: string) => void): Promise<Window> {
  const t0 = Date.now();
  const sim = new LiveSimulation({ backend, placement: { kind: 'actors' } });
  const host = createLiveHost({
    sim, backends: await backendInfo(), filter: loadImageFilter(), ...LIVE_HOST_DEFAULTS, server: 'bench',
    classifier: { info: { available: false, reason: 'the camera is not used here' }, classify: async () => null, dispose: () => {} },
  });
  const session = host.accept({ bufferedAmount: 0, send: (_data, done) => queueMicrotask(() => done()), close: () => {} });
  session.onFrame(encodeMessage({ type: 'hello', protocol: PROTOCOL_VERSION }), true);
  session.onFrame(encodeMessage({ type: 'subscribe', id: 0 }), true);
  try {
    await sim.start();
    const readyMs = Date.now() - t0;
    sim.cuePool(0);
    await new Promise((r) => setTimeout(r, warmup * 1000));
    const a = sim.status;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const w: Window = { ...figures(a, sim.status), where: 'node', backend, crossOriginIsolated: false, readyMs, state: sim.currentState.state };
    log(describe(w));
    return w;
  } finally {
    host.close();
    await sim.close();
  }
}

export const benchmark: Benchmark = {
  description: "the static page's live demo (simulation in a Web Worker) in headless Chromium: real-time factor and deadline misses, plain and cross-origin isolated",
  async run({ log, args }: BenchOptions) {
    if (!chromiumAvailable) throw new Error('the browser benchmark needs /usr/bin/chromium');
    const { values } = parseArgs({ args, options: { seconds: { type: 'string', default: '10' }, warmup: { type: 'string', default: '3' } } });
    const seconds = Number(values.seconds);
    const warmup = Number(values.warmup);
    const dir = mkdtempSync(join(tmpdir(), 'swta-bench-browser-'));
    try {
      const built = await buildWeb(join(dir, 'dist'));
      // The machine is shared: the load says how much of it the page had.
      const loadBefore = round(loadavg()[0]!, 2);
      const runs: Window[] = [];
      // Side by side per backend: plain page, isolated page, Node.
      const plain = await serveStatic(built.dir);
      const isolated = await serveStatic(built.dir, { isolated: true });
      try {
        for (const backend of ['conductance', 'truenorth'] as const) {
          runs.push(await measure(plain.url, dir, backend, seconds, warmup, log));
          runs.push(await measure(isolated.url, dir, backend, seconds, warmup, log));
          runs.push(await measureNode(backend, seconds, warmup, log));
        }
      } finally {
        await plain.close();
        await isolated.close();
      }
      const loadAfter = round(loadavg()[0]!, 2);
      log(`load average (1 min) ${loadBefore} before, ${loadAfter} after`);
      return { seconds, warmupSeconds: warmup, slackMs: 5, loadAverage1m: { before: loadBefore, after: loadAfter }, bundleBytes: built.files, runs };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
