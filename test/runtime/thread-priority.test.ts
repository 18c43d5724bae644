import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { currentThreadId, parseThreadPriority, setThreadPriority, type ThreadPriorityResult } from '../../runtime/thread-priority.ts';

const MODULE = new URL('../../runtime/thread-priority.ts', import.meta.url).href;

/** Ask for a priority in a fresh Node process (never in the test runner) and read back what the kernel holds for that thread. */
function inChild(priority: string): { result: ThreadPriorityResult; policy: string; nice: number; laterThreadPolicy: string; laterNice: number } {
  // laterThreadPolicy: the policy of a thread this one starts afterwards (it must not inherit a FIFO priority).
  const script = `
    const { spawnSync } = await import('node:child_process');
    const os = await import('node:os');
    const { Worker } = await import('node:worker_threads');
    const m = await import(${JSON.stringify(MODULE)});
    const result = m.setThreadPriority(${JSON.stringify(priority)});
    const policy = spawnSync('chrt', ['--pid', String(result.tid)], { encoding: 'utf8' }).stdout;
    // The thread stays alive (an interval) until terminate(), so its tid is still there when read.
    const later = new Worker("Promise.all([import('node:worker_threads'), import('node:fs')]).then(([w, fs]) => { setInterval(() => {}, 1000); w.parentPort.postMessage(fs.readlinkSync('/proc/thread-self').split('/').at(-1)); })", { eval: true });
    const laterTid = await new Promise((resolve) => later.once('message', resolve));
    const laterThreadPolicy = spawnSync('chrt', ['--pid', laterTid], { encoding: 'utf8' }).stdout;
    const laterNice = os.getPriority(Number(laterTid));
    await later.terminate();
    console.log(JSON.stringify({ result, policy, nice: os.getPriority(0), laterThreadPolicy, laterNice }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ReturnType<typeof inChild>;
}

describe('thread priority of the ticking thread', () => {
  it('parses the three choices and names them on a bad value', () => {
    expect(parseThreadPriority('realtime')).toBe('realtime');
    expect(parseThreadPriority(undefined, 'high')).toBe('high');
    expect(() => parseThreadPriority('max')).toThrow(/unknown thread priority 'max' \(choices: normal, high, realtime\)/);
  });

  it("'normal' changes nothing and names the thread", () => {
    const r = setThreadPriority('normal');
    expect(r).toMatchObject({ requested: 'normal', applied: 'normal', detail: 'unchanged' });
    if (process.platform === 'linux') expect(r.tid).toBe(currentThreadId());
  });

  // CI runs as root, so both requests are granted there; elsewhere the result must say what it got instead.
  it.runIf(process.platform === 'linux')("'high' and 'realtime' report what the kernel then holds for the thread", () => {
    const high = inChild('high');
    if (high.result.applied === 'high') {
      expect(high.nice).toBe(-15);
      expect(high.laterNice).toBe(0);
    }
    else expect(high.result.detail).toMatch(/refused/);
    const rt = inChild('realtime');
    if (rt.result.applied === 'realtime') {
      expect(rt.policy).toMatch(/SCHED_FIFO\|SCHED_RESET_ON_FORK[\s\S]*priority: 10/);
      expect(rt.laterThreadPolicy).toMatch(/SCHED_OTHER/);
    }
    else expect(rt.result.detail).toMatch(/refused/);
  });
});
