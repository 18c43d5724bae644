import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';

/**
 * Scheduling priority of the thread that paces or runs ticks.
 * - 'normal': leave it as started.
 * - 'high': nice −15 for this thread only (Linux nice values are per thread): the CFS scheduler
 *   gives it ~35× the CPU share of a nice-0 thread that competes for the same core. Threads it
 *   starts later begin at nice 0 (SCHED_RESET_ON_FORK).
 * - 'realtime': SCHED_FIFO (`chrt`, util-linux) at REALTIME_FIFO_PRIORITY for this thread, and at
 *   the lower HELPER_FIFO_PRIORITY for the process's other threads: the ticking thread preempts
 *   every ordinary thread the moment it wakes (how real-time audio and robot controllers keep
 *   deadlines on a shared Linux machine), and V8's GC and compiler helpers, which it sometimes
 *   waits for (parallel scavenges), are not queued behind other processes either, yet never
 *   preempt it. Both are set with SCHED_RESET_ON_FORK: a thread started later (a worker, its tsx
 *   loader, libuv's pool) begins under the ordinary policy, never at the ticking thread's FIFO
 *   priority — two FIFO threads of equal priority on one CPU do not preempt each other, and a
 *   loader thread's 10 ms garbage collection so inherited once sat between the ticking thread and
 *   its deadlines. The kernel's RT throttling (/proc/sys/kernel/sched_rt_runtime_us, 95 % by
 *   default) still leaves other work some CPU.
 * Both need root or CAP_SYS_NICE.
 */
export type ThreadPriority = 'normal' | 'high' | 'realtime';

export const THREAD_PRIORITIES: readonly ThreadPriority[] = ['normal', 'high', 'realtime'];

/** Nice value of 'high' (−20 … 19; lower runs first). */
export const HIGH_NICE = -15;
/**
 * SCHED_FIFO priority of 'realtime' (1 … 99). Low on purpose: above every ordinary thread, below
 * the kernel's own real-time threads (interrupt handlers and watchdogs use 50 and 99).
 */
export const REALTIME_FIFO_PRIORITY = 10;
/** SCHED_FIFO priority of the process's other threads under 'realtime'. */
export const HELPER_FIFO_PRIORITY = 5;

/** What a priority request achieved: the report states `applied`, never only the request. */
export interface ThreadPriorityResult {
  requested: ThreadPriority;
  applied: ThreadPriority;
  /** Thread id the policy was set on (Linux), or null. */
  tid: number | null;
  /** Why `applied` differs from `requested`, or how it was set. */
  detail: string;
}

/** This thread's kernel thread id (Linux /proc/thread-self → "<pid>/task/<tid>"), or null. */
export function currentThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) ? tid : null;
  } catch {
    return null;
  }
}

/** Parse a --priority style value; the error lists the choices. */
export function parseThreadPriority(value: string | undefined, fallback: ThreadPriority = 'normal'): ThreadPriority {
  if (value === undefined) return fallback;
  if ((THREAD_PRIORITIES as readonly string[]).includes(value)) return value as ThreadPriority;
  throw new Error(`unknown thread priority '${value}' (choices: ${THREAD_PRIORITIES.join(', ')})`);
}

/**
 * Raise the calling thread's scheduling priority ('realtime': SCHED_FIFO at `fifoPriority`).
 * Never throws for a missing permission or tool: it falls back to what it could apply and says
 * why, so a run on a machine without CAP_SYS_NICE still runs and its report tells the truth.
 */
export function setThreadPriority(requested: ThreadPriority, fifoPriority: number = REALTIME_FIFO_PRIORITY): ThreadPriorityResult {
  const tid = currentThreadId();
  if (requested === 'normal') return { requested, applied: 'normal', tid, detail: 'unchanged' };
  if (requested === 'realtime') {
    if (tid === null) return fallBack(requested, tid, 'no /proc/thread-self (not Linux)');
    const r = spawnSync('chrt', ['--fifo', '--reset-on-fork', '--pid', String(fifoPriority), String(tid)], { encoding: 'utf8' });
    if (r.status !== 0) return fallBack(requested, tid, `SCHED_FIFO refused (${r.error?.message ?? (r.stderr || `chrt exited with ${r.status}`).trim()})`);
    // Threads already real time (other ticking threads: workers, the pacer) keep their priority.
    for (const other of ordinaryThreads()) spawnSync('chrt', ['--fifo', '--reset-on-fork', '--pid', String(HELPER_FIFO_PRIORITY), String(other)]);
    return { requested, applied: 'realtime', tid, detail: `SCHED_FIFO priority ${fifoPriority} on thread ${tid}, ${HELPER_FIFO_PRIORITY} on the process's other threads` };
  }
  return fallBack(requested, tid, '');
}

/** Thread ids of this process under the ordinary policy (SCHED_OTHER, field 41 of /proc/<tid>/stat is 0). */
function ordinaryThreads(): number[] {
  const out: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the parenthesized name start at field 3 (state); policy is field 41.
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3] === '0') out.push(Number(tid));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** 'high' as asked, or as the fallback of a refused 'realtime'. */
function fallBack(requested: ThreadPriority, tid: number | null, why: string): ThreadPriorityResult {
  const prefix = why ? `${why}; ` : '';
  try {
    // pid 0 is the calling thread: Linux setpriority(PRIO_PROCESS, 0) acts on one thread.
    os.setPriority(0, HIGH_NICE);
    // Threads this one starts later begin at nice 0, not at its −15 (SCHED_RESET_ON_FORK; best effort).
    if (tid !== null) spawnSync('chrt', ['--other', '--reset-on-fork', '--pid', '0', String(tid)]);
    return { requested, applied: 'high', tid, detail: `${prefix}nice ${HIGH_NICE} on thread ${tid ?? 'this'}` };
  } catch (e) {
    return { requested, applied: 'normal', tid, detail: `${prefix}nice ${HIGH_NICE} refused (${(e as Error).message})` };
  }
}

/**
 * Pin the calling thread to one CPU (`taskset`, util-linux): the ticking thread then never
 * migrates, and a probe pinned to the same CPU sees that CPU's stalls. Returns why it failed, or null.
 */
export function pinThreadToCpu(cpu: number): string | null {
  const tid = currentThreadId();
  if (tid === null) return 'no /proc/thread-self (not Linux)';
  const r = spawnSync('taskset', ['--pid', '--cpu-list', String(cpu), String(tid)], { encoding: 'utf8' });
  return r.status === 0 ? null : (r.error?.message ?? (r.stderr || `taskset exited with ${r.status}`).trim());
}

/**
 * One CPU per worker for placement.cpus: worker w on CPU w, round the machine's CPUs again when
 * there are more workers than CPUs.
 */
export function cpuPerWorker(workers: number): number[] {
  return Array.from({ length: workers }, (_, w) => w % os.availableParallelism());
}
