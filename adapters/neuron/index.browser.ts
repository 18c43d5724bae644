import type { Engine } from '../../src/engine.ts';
import type { Graph } from '../../src/graph/types.ts';

/**
 * index.ts for the browser build (runtime/web/build.ts): NEURON is a native program the Node
 * adapter starts as a process, which a page cannot do.
 */
export function compile(graph: Graph): Engine {
  throw new Error(`the neuron backend runs Debian's NEURON as a native process and is not available in the browser (graph '${graph.name ?? 'unnamed'}'); use conductance or truenorth`);
}
