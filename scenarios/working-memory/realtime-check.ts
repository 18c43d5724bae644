import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { cpuPerWorker, createRunner, Pacer, parseThreadPriority, pinThreadToCpu, setThreadPriority, type ClockStatus, type DeadlineMiss, type Placement, type ThreadPriorityResult } from '../../runtime/index.ts';
import { WorkerRunner } from '../../runtime/placements/workers.ts';
import { REALTIME_V8_FLAGS, relaunchWithRealtimeFlags } from '../../runtime/realtime-process.ts';
import { startWakeJitterProbe, type WakeJitter } from '../../runtime/wake-jitter.ts';
import { sessionNetwork, WM_INPUTS } from './session.ts';

/**
 * Paced real-time check of working memory ("a 2-module working-memory network runs at real-time factor
 * 1.0 with zero deadline misses over 60 s"). Not a test: wall-clock figures depend on the machine
 * and on what else runs on it, so this prints them (and the load average) instead of asserting.
 *
 * The network is the scenario's, without the control module: the two coupled sWTA modules and
 * the transition neurons, with mismatch and background noise. A fast-mode warm-up (JIT, caches)
 * cues state A, so the paced part runs with an up-state — the busiest regime.
 *
 * Default: the modules spread over two worker threads, each pinned to its own CPU and at
 * SCHED_FIFO priority (--priority realtime; runtime/thread-priority.ts), paced in real time by the
 * main thread at the same priority, in a process started with REALTIME_V8_FLAGS (it relaunches
 * itself with them; runtime/realtime-process.ts). Each worker needs ~0.2 ms of CPU per 1 ms tick
 * on this 2-vCPU VM, so the rest of the slot is slack. Why each part:
 * - priority: at normal priority the run missed thousands of deadlines at load 2–3 (lags to
 *   200 ms); at SCHED_FIFO the ticking threads preempt every ordinary thread the moment they wake.
 * - two pinned workers instead of one thread (--placement actors, 0.35 ms per tick): this VM
 *   sometimes runs a thread 3–10× slower for tens of ms (a small-footprint probe on the same CPU
 *   runs at full speed meanwhile; the host's caches are shared with other guests). A thread that
 *   needs a third of each slot falls behind when slowed more than 3×, one that needs a fifth only
 *   beyond 5×. Pinning keeps each worker's caches on its CPU. Unpinned, runs placed so showed
 *   more misses; before SCHED_RESET_ON_FORK, three FIFO threads of equal priority on two cores
 *   stalled each other for 90–240 ms.
 * - no memory reducer: its collections landed 6–8 s into every run (realtime-process.ts).
 * The VM also stalls as a whole now and then (5–60 ms, both CPUs at once, often in steps of
 * 100 ms, as a host CPU quota would): probe threads beside the run, one priority level above it
 * (wake-jitter.ts), count those stalls, and the report says which misses fell into them.
 * --spin-wait-ms 2 lets workers poll before they sleep between ticks (barrier.ts).
 *
 *   npx tsx scenarios/working-memory/realtime-check.ts [--seconds 60] [--windows 1] [--placement workers|actors|loop]
 *     [--workers 2] [--spin-wait-ms 0] [--worker-cpus 0,1 | none] [--priority normal|high|realtime] [--pin-cpu N] [--no-jitter-probe]
 *     [--json] [--out docs/results/working-memory-realtime.json]
 */

/** CPU seconds of each thread of this process (Linux: /proc/self/task), by thread id. */
function threadCpuS(): Map<number, number> {
  const out = new Map<number, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the parenthesized name: state is field 3, utime and stime fields 14 and 15,
      // in clock ticks of 10 ms (USER_HZ = 100 on Linux x86).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

async function main(): Promise<void> {
  const relaunched = await relaunchWithRealtimeFlags();
  if (relaunched !== null) {
    process.exitCode = relaunched;
    return;
  }
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      windows: { type: 'string', default: '1' },
      placement: { type: 'string', default: 'workers' },
      workers: { type: 'string', default: '2' },
      'spin-wait-ms': { type: 'string', default: '0' },
      priority: { type: 'string', default: 'realtime' },
      'pin-cpu': { type: 'string' },
      'worker-cpus': { type: 'string' },
      'no-jitter-probe': { type: 'boolean', default: false },
      warmupMs: { type: 'string', default: '3000' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const windowCount = Number(values.windows);
  if (!(Number.isInteger(windowCount) && windowCount >= 1)) throw new Error(`--windows must be an integer ≥ 1, got ${values.windows}`);
  const warmupMs = Number(values.warmupMs);
  const spinWaitMs = Number(values['spin-wait-ms']);
  const priority = parseThreadPriority(values.priority);
  // A CPU of its own for each worker unless told otherwise; 'none' leaves them to the kernel.
  const cpuList = values['worker-cpus'];
  const workerCpus = cpuList === 'none' ? undefined : cpuList === undefined ? cpuPerWorker(Number(values.workers)) : cpuList.split(',').map(Number);
  const placement: Placement = values.placement === 'workers'
    ? { kind: 'workers', workers: Number(values.workers), spinWaitMs, threadPriority: priority, ...(workerCpus ? { cpus: workerCpus } : {}) }
    : values.placement === 'loop' ? { kind: 'loop' } : { kind: 'actors' };
  const placementLabel = placement.kind === 'workers' ? `workers × ${placement.workers} (poll ${spinWaitMs} ms before sleeping${workerCpus ? `, pinned to CPUs ${workerCpus.join(', ')}` : ''})` : placement.kind;
  const { network, ids } = sessionNetwork({ network: { control: false } });
  const runner = await createRunner(network, { seed: 1, placement });
  // The pacing thread; with 'workers' each worker has set its own on boot.
  const mainPriority = setThreadPriority(priority);
  const pinCpu = values['pin-cpu'] === undefined ? undefined : Number(values['pin-cpu']);
  if (pinCpu !== undefined) {
    const error = pinThreadToCpu(pinCpu);
    if (error) throw new Error(`--pin-cpu ${pinCpu}: ${error}`);
  }
  const workerPriorities: readonly ThreadPriorityResult[] = runner instanceof WorkerRunner ? runner.threadPriorities : [];
  const priorities = [{ thread: 'main', ...mainPriority }, ...workerPriorities.map((p, i) => ({ thread: `worker ${i}`, ...p }))];
  const log = values.json ? (): void => {} : (s: string): void => console.log(s);
  const neurons = network.modules.reduce((a, m) => a + m.graph.populations.reduce((b, p) => b + p.size, 0), 0);
  log(`network: ${network.modules.map((m) => m.id).join(', ')} (${neurons} neurons), placement ${placementLabel}`);
  for (const p of priorities) log(`priority ${p.thread}: ${p.applied}${p.applied === p.requested ? '' : ` (asked ${p.requested})`} — ${p.detail}`);

  const slackMs = 5;
  // Beside the run, threads one priority level above it that only sleep: their late wake-ups are the
  // platform's own stalls (wake-jitter.ts), to tell them apart from misses the run caused. One on
  // each CPU a ticking thread is pinned to (a stall of either delays the tick), or one unpinned.
  // Started before the warm-up, so their own start-up is over when the paced run begins.
  const probeCpus: (number | undefined)[] = pinCpu !== undefined ? [pinCpu] : placement.kind === 'workers' && placement.cpus ? [...new Set(placement.cpus)] : [undefined];
  const probes = values['no-jitter-probe'] ? [] : await Promise.all(probeCpus.map((cpu) => startWakeJitterProbe({ durationMs: warmupMs + windowCount * (seconds * 1000 + 1000) + 5000, thresholdMs: PROBE_NOISE_MS, priority, ...(cpu === undefined ? {} : { cpu }) })));

  // Warm-up, as fast as possible, with a cue halfway so the paced run starts in an up-state.
  const warm = new Pacer(runner, { pacing: { mode: 'fast' } });
  await warm.run(warmupMs / 2);
  for (const c of ids.cues[0]!) runner.setRate(c.module, c.source, WM_INPUTS.cue.rateHz);
  await warm.run(WM_INPUTS.cue.durationMs);
  for (const c of ids.cues[0]!) runner.setRate(c.module, c.source, 0);
  const warmStatus = await warm.run(warmupMs / 2);
  log(`warm-up (fast): ${warmStatus.simulatedMs} ms simulated, RTF ${warmStatus.realTimeFactor.toFixed(3)}`);


  let spikes = 0;
  const pools = new Set(ids.statePools[0]!.map((p) => p.population));
  const sub = runner.spikes$.subscribe((f) => {
    for (let i = 0; i < f.populations.length; i++) if (pools.has(f.populations[i]!)) spikes += f.counts[i]!;
  });
  const poolSize = ids.statePools[0]!.length * (network.modules[0]!.graph.populations.find((p) => pools.has(p.id))?.size ?? 1);
  // CPU time per simulated time, of the process and of each busy thread (main, workers): what a
  // core must give each thread; it stays meaningful when other processes compete for the cores.
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpuS();
  const load0 = os.loadavg();
  // Back-to-back paced windows of `seconds` each, every one judged on its own (a fresh clock).
  const windows: PacedWindow[] = [];
  for (let w = 0; w < windowCount; w++) {
    const paced = new Pacer(runner, { pacing: { mode: 'realtime', timeScale: 1, slackMs }, statusEveryTicks: 10_000 });
    const misses: DeadlineMiss[] = [];
    paced.deadlineMisses$.subscribe((m) => misses.push(m));
    const label = windowCount > 1 ? `  window ${w + 1}/${windowCount}` : '';
    paced.status$.subscribe((st) => {
      if (st.phase === 'running' && st.simulatedMs > 0) log(`${label}  t ${(st.simulatedMs / 1000).toFixed(0).padStart(3)} s  RTF ${st.realTimeFactor.toFixed(3)}  busy ${st.busyFactor.toFixed(3)}  misses ${st.deadlineMisses}  max lag ${st.maxLagMs.toFixed(1)} ms`);
    });
    const spikes0 = spikes;
    const fromEpochMs = performance.timeOrigin + performance.now();
    const status = await paced.run(seconds * 1000);
    windows.push({ status, misses, fromEpochMs, toEpochMs: performance.timeOrigin + performance.now(), stateARateHz: (spikes - spikes0) / poolSize / (status.simulatedMs / 1000), load: os.loadavg() });
  }
  const cpu = process.cpuUsage(cpu0);
  const threads1 = threadCpuS();
  const load1 = os.loadavg();
  sub.unsubscribe();
  await runner.close();
  const jitter = probes.length > 0 ? mergeProbes(await Promise.all(probes.map((p) => p.result))) : null;
  probes.forEach((p, i) => priorities.push({ thread: `jitter probe${probeCpus[i] === undefined ? '' : ` on CPU ${probeCpus[i]}`}`, ...p.priority }));
  const windowReports = windows.map((w) => {
    const bursts = missBursts(w.misses, w.fromEpochMs - performance.timeOrigin, jitter);
    const probe = jitter ? summarizeProbe(jitter, w.misses, w.fromEpochMs, w.toEpochMs, slackMs) : null;
    return {
      simulatedS: w.status.simulatedMs / 1000,
      realTimeFactor: w.status.realTimeFactor,
      busyFactor: w.status.busyFactor,
      deadlineMisses: w.status.deadlineMisses,
      maxLagMs: w.status.maxLagMs,
      missBursts: bursts,
      /** Bursts with a probe wake-up later than 1 ms around them, and how many would have one by chance. */
      burstsVsPlatform: probe ? burstsVsPlatform(bursts, probe.wakeupsLaterThan1Ms, (w.toEpochMs - w.fromEpochMs) / 1000) : null,
      wakeJitter: probe,
      stateARateHz: w.stateARateHz,
      loadAverageEnd: w.load,
      passed: w.status.deadlineMisses === 0 && w.status.simulatedMs === seconds * 1000,
    };
  });
  const vs = windowReports.map((w) => w.burstsVsPlatform);
  const burstsVsPlatformAll = vs.every((v) => v !== null)
    ? { bursts: vs.reduce((a, v) => a + v!.bursts, 0), withProbeLateWakeups: vs.reduce((a, v) => a + v!.withProbeLateWakeups, 0), expectedByChance: vs.reduce((a, v) => a + v!.expectedByChance, 0) }
    : null;
  const allMisses = windows.flatMap((w) => w.misses);
  const final = { simulatedMs: windows.reduce((a, w) => a + w.status.simulatedMs, 0), deadlineMisses: allMisses.length, maxLagMs: Math.max(...windows.map((w) => w.status.maxLagMs)) };
  const mean = (f: (w: PacedWindow) => number): number => windows.reduce((a, w) => a + f(w) * w.status.simulatedMs, 0) / final.simulatedMs;
  const wakeJitter = jitter ? summarizeProbe(jitter, allMisses, windows[0]!.fromEpochMs, windows.at(-1)!.toEpochMs, slackMs) : null;
  const simulatedS = final.simulatedMs / 1000;
  const threadCpuTimeFactors = [...threads1]
    .map(([tid, s]) => ({ thread: tid === process.pid ? 'main' : `tid ${tid}`, cpuTimeFactor: (s - (threads0.get(tid) ?? 0)) / simulatedS }))
    .filter((t) => t.cpuTimeFactor >= 0.02)
    .sort((a, b) => b.cpuTimeFactor - a.cpuTimeFactor);
  const result = {
    check: 'working-memory real time',
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version },
    /** V8 flags of this process (REALTIME_V8_FLAGS, runtime/realtime-process.ts). */
    v8Flags: process.execArgv.filter((a) => REALTIME_V8_FLAGS.includes(a)),
    network: { modules: network.modules.map((m) => m.id), neurons, dtMs: 0.1 },
    placement: placementLabel,
    /** CPU the pacing thread (and the probe) were pinned to, if any. */
    pinCpu: pinCpu ?? null,
    /** Scheduling priority each ticking thread asked for and got (runtime/thread-priority.ts). */
    priority: { requested: priority, threads: priorities },
    /** Paced windows of `secondsPerWindow`, back to back; the figures below are over all of them. */
    secondsPerWindow: seconds,
    simulatedS,
    realTimeFactor: mean((w) => w.status.realTimeFactor),
    busyFactor: mean((w) => w.status.busyFactor),
    /** A miss: a tick that finished more than slackMs after the end of its 1-ms slot (pacer.ts). */
    slackMs,
    /** The sleeping probe threads beside the run, one per CPU of a ticking thread (wake-jitter.ts), and the misses that fell into their stalls. */
    wakeJitter,
    deadlineMisses: final.deadlineMisses,
    /** Misses grouped into bursts (misses less than 100 ms apart): when each began (s into the paced run), how many, how late. */
    missBursts: windowReports.flatMap((w) => w.missBursts),
    /** Over all windows: miss bursts with a probe wake-up later than 1 ms around them, and the number chance would give. */
    burstsVsPlatform: burstsVsPlatformAll,
    maxLagMs: final.maxLagMs,
    cpuTimeFactor: (cpu.user + cpu.system) / 1000 / final.simulatedMs,
    threadCpuTimeFactors,
    stateARateHz: mean((w) => w.stateARateHz),
    /** 1-, 5- and 15-minute load averages at the start and at the end of the paced run. */
    loadAverage: { start: load0, end: load1 },
    /** Each window on its own (missBursts' times are seconds into that window). */
    windows: windowReports,
    windowsPassed: windowReports.filter((w) => w.passed).length,
    passed: windowReports.every((w) => w.passed),
  };
  const load = `load average ${load1.map((x) => x.toFixed(2)).join(' ')} (at start ${load0.map((x) => x.toFixed(2)).join(' ')}; ${result.machine.cores} cores)`;
  const perThread = threadCpuTimeFactors.map((t) => `${t.thread} ${t.cpuTimeFactor.toFixed(2)}`).join(', ');
  if (windowCount > 1) log(`windows: ${windowReports.map((w, i) => `${i + 1}: ${w.deadlineMisses} misses (max lag ${w.maxLagMs.toFixed(1)} ms${w.wakeJitter ? `, ${w.wakeJitter.missesDuringPlatformStalls} in platform stalls; probe late > 1 ms ${w.wakeJitter.wakeupsLaterThan1Ms}×` : ''})`).join('; ')}`);
  log(`${result.passed ? 'PASS' : 'FAIL'}: ${windowCount > 1 ? `${result.windowsPassed} of ${windowCount} windows of ${seconds} s without a miss; ` : ''}${simulatedS} s paced at RTF ${result.realTimeFactor.toFixed(3)} with ${result.deadlineMisses} deadline misses (max lag ${result.maxLagMs.toFixed(1)} ms), placement ${placementLabel}, ${load}`);
  log(`CPU time per simulated time: process ${result.cpuTimeFactor.toFixed(2)}; per thread ${perThread}${result.busyFactor > 1 ? `; busy factor ${result.busyFactor.toFixed(2)} (> 1 cannot keep up)` : ''}`);
  if (result.missBursts.length > 0) log(`miss bursts: ${result.missBursts.map((b) => `${b.atS.toFixed(1)} s (${b.misses}, up to ${b.maxLateMs.toFixed(1)} ms${b.probeLateWakeups === null ? '' : `; probe late > 1 ms ${b.probeLateWakeups}×`})`).join(', ')}`);
  if (burstsVsPlatformAll && burstsVsPlatformAll.bursts > 0) log(`${burstsVsPlatformAll.withProbeLateWakeups} of ${burstsVsPlatformAll.bursts} miss bursts had a probe wake-up later than 1 ms within 100 ms before or during them (by chance: ${burstsVsPlatformAll.expectedByChance.toFixed(1)})`);
  if (wakeJitter) log(`platform (${probes.length === 1 ? "a thread that only sleeps" : `${probes.length} threads that only sleep, one per CPU`}, one priority level above the run): ${wakeJitter.wakeupsLaterThan1Ms} wake-ups later than 1 ms and ${wakeJitter.lateWakeups} later than ${slackMs} ms during the run (latest ${wakeJitter.maxLateMs.toFixed(1)} ms; p99.9 ${wakeJitter.p999Ms.toFixed(2)} ms); ${wakeJitter.missesDuringPlatformStalls} of the ${result.deadlineMisses} misses fell into one of their stalls`);
  if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

/** Several probes' records as one: every late wake-up of any of them, their worst quantiles. */
function mergeProbes(all: readonly WakeJitter[]): WakeJitter {
  const first = all[0]!;
  return {
    ...first,
    samples: all.reduce((a, j) => a + j.samples, 0),
    medianMs: Math.max(...all.map((j) => j.medianMs)),
    p999Ms: Math.max(...all.map((j) => j.p999Ms)),
    maxMs: Math.max(...all.map((j) => j.maxMs)),
    lateWakeups: all.reduce((a, j) => a + j.lateWakeups, 0),
    stalls: all.flatMap((j) => j.stalls).sort((a, b) => a.fromEpochMs - b.fromEpochMs),
  };
}

/** The probe records every wake-up later than this; those later than the slack are stalls. */
const PROBE_NOISE_MS = 1;

/** One paced window: its clock's final status, its misses, when it ran, the up-state's rate, the load at its end. */
interface PacedWindow {
  status: ClockStatus;
  misses: DeadlineMiss[];
  fromEpochMs: number;
  toEpochMs: number;
  stateARateHz: number;
  load: number[];
}

/**
 * Deadline misses less than 100 ms apart form one burst (one stall delays the ticks after it too).
 * probeLateWakeups: the probes' wake-ups later than 1 ms from 100 ms before the burst to its end.
 */
function missBursts(misses: readonly DeadlineMiss[], runFromMs: number, jitter: WakeJitter | null): MissBurst[] {
  const bursts: { atS: number; misses: number; maxLateMs: number; firstMs: number; lastMs: number }[] = [];
  for (const m of misses) {
    const last = bursts.at(-1);
    if (last && m.atMs - last.lastMs < 100) {
      last.misses++;
      last.maxLateMs = Math.max(last.maxLateMs, m.lateMs);
      last.lastMs = m.atMs;
    } else bursts.push({ atS: (m.atMs - m.lateMs - runFromMs) / 1000, misses: 1, maxLateMs: m.lateMs, firstMs: m.atMs - m.lateMs, lastMs: m.atMs });
  }
  const late = (from: number, to: number): number | null => (jitter ? jitter.stalls.filter((x) => x.fromEpochMs - performance.timeOrigin >= from && x.fromEpochMs - performance.timeOrigin <= to).length : null);
  return bursts.map(({ atS, misses, maxLateMs, firstMs, lastMs }) => ({ atS, misses, maxLateMs, spanMs: lastMs - firstMs + 100, probeLateWakeups: late(firstMs - 100, lastMs) }));
}

interface MissBurst {
  atS: number;
  misses: number;
  maxLateMs: number;
  /** The stretch searched for the probes' late wake-ups: 100 ms before the burst to its end. */
  spanMs: number;
  probeLateWakeups: number | null;
}

/**
 * Whether the bursts coincide with the platform's disturbances: how many bursts had a probe
 * wake-up later than 1 ms around them, against how many would by chance, were the probes' late
 * wake-ups (`lateWakeups` over `seconds`) spread evenly in time (Poisson: 1 − e^(−rate·span)).
 */
function burstsVsPlatform(bursts: readonly MissBurst[], lateWakeups: number, seconds: number): { bursts: number; withProbeLateWakeups: number; expectedByChance: number } | null {
  if (bursts.some((b) => b.probeLateWakeups === null)) return null;
  const ratePerMs = lateWakeups / (seconds * 1000);
  return {
    bursts: bursts.length,
    withProbeLateWakeups: bursts.filter((b) => b.probeLateWakeups! > 0).length,
    expectedByChance: bursts.reduce((a, b) => a + 1 - Math.exp(-ratePerMs * b.spanMs), 0),
  };
}

/**
 * The probe's stalls during the paced run (it also ran through the warm-up) and how many deadline
 * misses overlap one of them: a tick that finished lateMs after its slot ran in
 * [end − lateMs − 1 ms, end].
 */
function summarizeProbe(j: WakeJitter, misses: readonly DeadlineMiss[], fromEpochMs: number, toEpochMs: number, slackMs: number) {
  const during = j.stalls.filter((x) => x.fromEpochMs >= fromEpochMs && x.fromEpochMs <= toEpochMs);
  const stalls = during.filter((x) => x.lateMs > slackMs).map((x) => [x.fromEpochMs, x.fromEpochMs + j.sleepMs + x.lateMs] as const);
  const missesDuringPlatformStalls = misses.filter((m) => {
    const end = performance.timeOrigin + m.atMs;
    return stalls.some(([a, b]) => a <= end && b >= end - m.lateMs - 1);
  }).length;
  return {
    sleepMs: j.sleepMs,
    /** A stall: a wake-up later than the run's slack. */
    thresholdMs: slackMs,
    /** Over the whole probe (warm-up included). */
    medianMs: j.medianMs,
    p999Ms: j.p999Ms,
    /** During the paced run: wake-ups later than 1 ms (how unsettled the platform was) and stalls. */
    wakeupsLaterThan1Ms: during.length,
    lateWakeups: stalls.length,
    maxLateMs: stalls.reduce((a, [x, y]) => Math.max(a, y - x - j.sleepMs), 0),
    missesDuringPlatformStalls,
  };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
