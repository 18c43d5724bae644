import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createRunner, Pacer, parseThreadPriority, pinThreadToCpu, setThreadPriority, type DeadlineMiss, type Placement, type ThreadPriorityResult } from '../../runtime/index.ts';
import { WorkerRunner } from '../../runtime/placements/workers.ts';
import { startWakeJitterProbe, type WakeJitter } from '../../runtime/wake-jitter.ts';
import { sessionNetwork, WM_INPUTS } from './session.ts';

/**
 * Paced real-time check of issue 4 ("a 2-module working-memory network runs at real-time factor
 * 1.0 with zero deadline misses over 60 s"). Not a test: wall-clock figures depend on the machine
 * and on what else runs on it, so this prints them (and the load average) instead of asserting.
 *
 * The network is the scenario's, without the control module: the two coupled sWTA modules and
 * the transition neurons, with mismatch and background noise. A fast-mode warm-up (JIT, caches)
 * cues state A, so the paced part runs with an up-state — the busiest regime.
 *
 * Default: every module as an actor on one thread, paced in real time, that thread at SCHED_FIFO
 * priority (--priority realtime; runtime/thread-priority.ts). One thread needs 0.3–0.5 ms of CPU
 * per 1 ms tick on this 2-vCPU VM (1.0–1.2 ms on its slowest days), so the rest of the slot is
 * slack. The priority is what makes the deadlines hold while other programs load both cores: at
 * normal priority the same run missed thousands of deadlines at load 2–3 (lags to 200 ms), at
 * SCHED_FIFO tens (lags ≤ 10 ms, stalls of the VM itself: a bare sleep loop at the same priority
 * sees them too: a probe thread beside the run, one priority level above it, counts them). --placement workers puts the
 * modules on worker threads, each at the same priority; three SCHED_FIFO threads of equal
 * priority on two cores do not preempt each other, and runs so placed showed stalls of 90–240 ms.
 * --spin-wait-ms 2 lets workers poll before they sleep between ticks (barrier.ts).
 *
 *   npx tsx scenarios/working-memory/realtime-check.ts [--seconds 60] [--placement actors|workers|loop]
 *     [--workers 2] [--spin-wait-ms 0] [--priority normal|high|realtime] [--pin-cpu N] [--no-jitter-probe]
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
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      placement: { type: 'string', default: 'actors' },
      workers: { type: 'string', default: '2' },
      'spin-wait-ms': { type: 'string', default: '0' },
      priority: { type: 'string', default: 'realtime' },
      'pin-cpu': { type: 'string' },
      'no-jitter-probe': { type: 'boolean', default: false },
      warmupMs: { type: 'string', default: '3000' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const warmupMs = Number(values.warmupMs);
  const spinWaitMs = Number(values['spin-wait-ms']);
  const priority = parseThreadPriority(values.priority);
  const placement: Placement = values.placement === 'workers' ? { kind: 'workers', workers: Number(values.workers), spinWaitMs, threadPriority: priority } : values.placement === 'loop' ? { kind: 'loop' } : { kind: 'actors' };
  const placementLabel = placement.kind === 'workers' ? `workers × ${placement.workers} (poll ${spinWaitMs} ms before sleeping)` : placement.kind;
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
  // Beside the run, a thread one priority level above it that only sleeps: its late wake-ups are the
  // platform's own stalls (wake-jitter.ts), to tell them apart from misses the run caused. Started
  // before the warm-up, so its own start-up is over when the paced run begins.
  const probe = values['no-jitter-probe'] ? null : await startWakeJitterProbe({ durationMs: warmupMs + seconds * 1000 + 5000, thresholdMs: slackMs, priority, ...(pinCpu === undefined ? {} : { cpu: pinCpu }) });

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
  const paced = new Pacer(runner, { pacing: { mode: 'realtime', timeScale: 1, slackMs }, statusEveryTicks: 10_000 });
  const misses: DeadlineMiss[] = [];
  paced.deadlineMisses$.subscribe((m) => misses.push(m));
  paced.status$.subscribe((s) => {
    if (s.phase === 'running' && s.simulatedMs > 0) log(`  t ${(s.simulatedMs / 1000).toFixed(0).padStart(3)} s  RTF ${s.realTimeFactor.toFixed(3)}  busy ${s.busyFactor.toFixed(3)}  misses ${s.deadlineMisses}  max lag ${s.maxLagMs.toFixed(1)} ms`);
  });
  // CPU time per simulated time, of the process and of each busy thread (main, workers): what a
  // core must give each thread; it stays meaningful when other processes compete for the cores.
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpuS();
  const load0 = os.loadavg();
  const runFromEpochMs = performance.timeOrigin + performance.now();
  const final = await paced.run(seconds * 1000);
  const runToEpochMs = performance.timeOrigin + performance.now();
  const cpu = process.cpuUsage(cpu0);
  const threads1 = threadCpuS();
  const load1 = os.loadavg();
  sub.unsubscribe();
  await runner.close();
  const wakeJitter = probe ? summarizeProbe(await probe.result, misses, runFromEpochMs, runToEpochMs) : null;
  if (probe) priorities.push({ thread: 'jitter probe', ...probe.priority });
  const simulatedS = final.simulatedMs / 1000;
  const threadCpuTimeFactors = [...threads1]
    .map(([tid, s]) => ({ thread: tid === process.pid ? 'main' : `tid ${tid}`, cpuTimeFactor: (s - (threads0.get(tid) ?? 0)) / simulatedS }))
    .filter((t) => t.cpuTimeFactor >= 0.02)
    .sort((a, b) => b.cpuTimeFactor - a.cpuTimeFactor);
  const poolSize = ids.statePools[0]!.length * (network.modules[0]!.graph.populations.find((p) => pools.has(p.id))?.size ?? 1);
  const result = {
    check: 'working-memory real time (issue 4)',
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version },
    network: { modules: network.modules.map((m) => m.id), neurons, dtMs: 0.1 },
    placement: placementLabel,
    /** CPU the pacing thread (and the probe) were pinned to, if any. */
    pinCpu: pinCpu ?? null,
    /** Scheduling priority each ticking thread asked for and got (runtime/thread-priority.ts). */
    priority: { requested: priority, threads: priorities },
    simulatedS,
    realTimeFactor: final.realTimeFactor,
    busyFactor: final.busyFactor,
    /** A miss: a tick that finished more than slackMs after the end of its 1-ms slot (pacer.ts). */
    slackMs,
    /** The sleeping probe thread beside the run (wake-jitter.ts) and the misses that fell into its stalls. */
    wakeJitter,
    deadlineMisses: final.deadlineMisses,
    maxLagMs: final.maxLagMs,
    cpuTimeFactor: (cpu.user + cpu.system) / 1000 / final.simulatedMs,
    threadCpuTimeFactors,
    stateARateHz: spikes / poolSize / simulatedS,
    /** 1-, 5- and 15-minute load averages at the start and at the end of the paced run. */
    loadAverage: { start: load0, end: load1 },
    passed: final.deadlineMisses === 0 && final.simulatedMs === seconds * 1000,
  };
  const load = `load average ${load1.map((x) => x.toFixed(2)).join(' ')} (at start ${load0.map((x) => x.toFixed(2)).join(' ')}; ${result.machine.cores} cores)`;
  const perThread = threadCpuTimeFactors.map((t) => `${t.thread} ${t.cpuTimeFactor.toFixed(2)}`).join(', ');
  log(`${result.passed ? 'PASS' : 'FAIL'}: ${simulatedS} s paced at RTF ${result.realTimeFactor.toFixed(3)} with ${result.deadlineMisses} deadline misses (max lag ${result.maxLagMs.toFixed(1)} ms), placement ${placementLabel}, ${load}`);
  log(`CPU time per simulated time: process ${result.cpuTimeFactor.toFixed(2)}; per thread ${perThread}${result.busyFactor > 1 ? `; busy factor ${result.busyFactor.toFixed(2)} (> 1 cannot keep up)` : ''}`);
  if (wakeJitter) log(`platform (a thread that only sleeps, one priority level above): ${wakeJitter.lateWakeups} wake-ups later than ${slackMs} ms during the run (latest ${wakeJitter.maxLateMs.toFixed(1)} ms; p99.9 ${wakeJitter.p999Ms.toFixed(2)} ms); ${wakeJitter.missesDuringPlatformStalls} of the ${result.deadlineMisses} misses fell into one of its stalls`);
  if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

/**
 * The probe's stalls during the paced run (it also ran through the warm-up) and how many deadline
 * misses overlap one of them: a tick that finished lateMs after its slot ran in
 * [end − lateMs − 1 ms, end].
 */
function summarizeProbe(j: WakeJitter, misses: readonly DeadlineMiss[], fromEpochMs: number, toEpochMs: number) {
  const stalls = j.stalls.filter((x) => x.fromEpochMs >= fromEpochMs && x.fromEpochMs <= toEpochMs).map((x) => [x.fromEpochMs, x.fromEpochMs + j.sleepMs + x.lateMs] as const);
  const missesDuringPlatformStalls = misses.filter((m) => {
    const end = performance.timeOrigin + m.atMs;
    return stalls.some(([a, b]) => a <= end && b >= end - m.lateMs - 1);
  }).length;
  return {
    sleepMs: j.sleepMs,
    thresholdMs: j.thresholdMs,
    /** Over the whole probe (warm-up included). */
    medianMs: j.medianMs,
    p999Ms: j.p999Ms,
    /** During the paced run. */
    lateWakeups: stalls.length,
    maxLateMs: stalls.reduce((a, [x, y]) => Math.max(a, y - x - j.sleepMs), 0),
    missesDuringPlatformStalls,
  };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
