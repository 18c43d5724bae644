import { Random } from './random.ts';

/**
 * The named random substreams of an engine, shared by every adapter. Each element of a graph
 * draws from its own stream, derived from the engine's seed and the element's id alone:
 *
 *   projection:<id>   connectivity and weight spread of one projection
 *   population:<id>   mismatch and initial state of one population's neurons
 *   source:<id>       spikes of one Poisson source
 *
 * so removing or changing one element leaves every other element's draws unchanged, and a
 * condition that changes one source's rate keeps the other sources' spikes (common random numbers).
 */
export function projectionStream(seed: number, projectionId: string): Random {
  return new Random(Random.derive(seed, `projection:${projectionId}`));
}

export function populationStream(seed: number, populationId: string): Random {
  return new Random(Random.derive(seed, `population:${populationId}`));
}

export function sourceStream(seed: number, sourceId: string): Random {
  return new Random(Random.derive(seed, `source:${sourceId}`));
}

/**
 * The stream of an adapter's placement draws for one presynaptic population or source within one
 * placement unit (TrueNorth: the window of presynaptic neurons a core group listens to), keyed by
 * the unit's first population so that it does not depend on how many units precede it.
 */
export function placementStream(seed: number, unitId: string, preId: string): Random {
  return new Random(Random.derive(seed, `placement:${unitId}:${preId}`));
}
