import type { NetworkPlan } from '../plan.ts';

/**
 * Which worker runs which module: an explicit `assign` (checked), or balanced by neuron count.
 * Returns the worker index of every module, in plan order.
 */
export function assignModules(plan: NetworkPlan, placement: { workers: number; assign?: Readonly<Record<string, number>> }): number[] {
  const workers = placement.workers;
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= plan.modules.length)) {
    throw new RangeError(`workers must be an integer in [1, ${plan.modules.length}] (one module at least per worker), got ${workers}`);
  }
  return placement.assign ? checkAssign(plan, placement.assign, workers) : balance(plan, workers);
}

/** Balance modules over workers by neuron count: largest first, each to the least-loaded worker. */
function balance(plan: NetworkPlan, workers: number): number[] {
  const load = new Array<number>(workers).fill(0);
  const workerOf = new Array<number>(plan.modules.length).fill(0);
  const size = (i: number): number => plan.modules[i]!.populationSizes.reduce((a, b) => a + b, 0);
  const order = plan.modules.map((_, i) => i).sort((a, b) => size(b) - size(a) || a - b);
  for (const i of order) {
    let best = 0;
    for (let w = 1; w < workers; w++) if (load[w]! < load[best]!) best = w;
    workerOf[i] = best;
    load[best]! += size(i);
  }
  return workerOf;
}

function checkAssign(plan: NetworkPlan, assign: Readonly<Record<string, number>>, workers: number): number[] {
  const workerOf = plan.modules.map((m) => {
    const w = assign[m.id];
    if (w === undefined) throw new Error(`placement.assign has no worker for module '${m.id}'`);
    if (!(Number.isInteger(w) && w >= 0 && w < workers)) throw new RangeError(`placement.assign['${m.id}'] must be a worker index in [0, ${workers}), got ${w}`);
    return w;
  });
  for (const id of Object.keys(assign)) if (!plan.modules.some((m) => m.id === id)) throw new Error(`placement.assign names unknown module '${id}'`);
  for (let w = 0; w < workers; w++) if (!workerOf.includes(w)) throw new Error(`placement.assign leaves worker ${w} without a module`);
  return workerOf;
}

