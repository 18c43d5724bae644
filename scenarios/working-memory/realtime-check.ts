import { parseArgs } from 'node:util';
import { createRunner, Pacer, type Placement } from '../../runtime/index.ts';
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
 *   npx tsx scenarios/working-memory/realtime-check.ts [--seconds 60] [--placement loop|actors|workers] [--workers 2] [--json]
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      placement: { type: 'string', default: 'actors' },
      workers: { type: 'string', default: '2' },
      warmupMs: { type: 'string', default: '3000' },
      json: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const warmupMs = Number(values.warmupMs);
  const placement: Placement = values.placement === 'workers' ? { kind: 'workers', workers: Number(values.workers) } : values.placement === 'loop' ? { kind: 'loop' } : { kind: 'actors' };
  const { network, ids } = sessionNetwork({ network: { control: false } });
  const runner = await createRunner(network, { seed: 1, placement });
  const log = values.json ? (): void => {} : (s: string): void => console.log(s);
  const neurons = network.modules.reduce((a, m) => a + m.graph.populations.reduce((b, p) => b + p.size, 0), 0);
  log(`network: ${network.modules.map((m) => m.id).join(', ')} (${neurons} neurons), placement ${placement.kind}${placement.kind === 'workers' ? ` × ${placement.workers}` : ''}`);

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
  const sub = runner.spikes$.subscribe((f) => f.populations.forEach((p, i) => void (pools.has(p) && (spikes += f.counts[i]!))));
  const paced = new Pacer(runner, { pacing: { mode: 'realtime', timeScale: 1 }, statusEveryTicks: 10_000 });
  paced.status$.subscribe((s) => {
    if (s.phase === 'running' && s.simulatedMs > 0) log(`  t ${(s.simulatedMs / 1000).toFixed(0).padStart(3)} s  RTF ${s.realTimeFactor.toFixed(3)}  busy ${s.busyFactor.toFixed(3)}  misses ${s.deadlineMisses}  max lag ${s.maxLagMs.toFixed(1)} ms`);
  });
  // CPU time of this process per simulated time: what one core does when nothing else competes for it.
  const cpu0 = process.cpuUsage();
  const final = await paced.run(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  sub.unsubscribe();
  await runner.close();
  const poolSize = ids.statePools[0]!.length * (network.modules[0]!.graph.populations.find((p) => pools.has(p.id))?.size ?? 1);
  const result = {
    placement: placement.kind,
    simulatedS: final.simulatedMs / 1000,
    realTimeFactor: final.realTimeFactor,
    busyFactor: final.busyFactor,
    cpuTimeFactor: (cpu.user + cpu.system) / 1000 / final.simulatedMs,
    deadlineMisses: final.deadlineMisses,
    maxLagMs: final.maxLagMs,
    stateARateHz: spikes / poolSize / (final.simulatedMs / 1000),
    loadAverage: (await import('node:os')).loadavg(),
    passed: final.deadlineMisses === 0 && final.simulatedMs === seconds * 1000,
  };
  log(result.passed ? 'PASS: real time with zero deadline misses' : `FAIL: ${result.deadlineMisses} deadline misses; busy factor ${result.busyFactor.toFixed(2)} (> 1 cannot keep up), CPU time per simulated time ${result.cpuTimeFactor.toFixed(2)}`);
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
