import type { GraphIssue } from './errors.ts';
import { GraphValidationError } from './errors.ts';
import type { Graph } from './types.ts';
import { validate, type ValidateOptions } from './validate.ts';
import { didYouMean } from './suggest.ts';

/**
 * A multi-module network is plain, JSON-serializable data, like a Graph: modules, each a whole
 * graph run by its own engine, and sparse links between them.
 *
 *   module A                                  module B
 *   population 'pyr' ──link (sparse, seeded)──▶ 'spikes' source 'fromA' ──projections──▶ B's populations
 *
 * A link carries the spikes of one population of module A onto the indices of one 'spikes'
 * source (an input port) of module B. What those port spikes do in B — receptors, weights,
 * delays, which populations they reach — is B's own graph, as for any spike source. The link
 * only says which presynaptic neuron drives which port index; that sparse map is drawn from the
 * run's seed (runtime/link-connectivity.ts), so it is the same wherever the modules run.
 *
 * Timing (docs/reference/architecture.md, tick protocol): a spike of A at tick t reaches B's port at the start of tick
 * t + 1, then B's port projections add their own delayMs. Every link therefore has at least one
 * tick of delay, and recurrent loops between modules cannot deadlock.
 */
export interface Network {
  name?: string;
  modules: NetworkModule[];
  links: ModuleLink[];
}

export interface NetworkModule {
  id: string;
  graph: Graph;
}

/** Which presynaptic neuron drives which port index. */
export type LinkRule =
  /** Every (presynaptic neuron, port index) pair independently with probability p. */
  | { rule: 'fixedProbability'; p: number }
  /** Neuron i drives port index i; population and port need equal sizes. */
  | { rule: 'oneToOne' }
  /** Neuron pre[k] drives port index post[k]. */
  | { rule: 'pairs'; pre: number[]; post: number[] };

export interface LinkEnds {
  id: string;
  /** A population of module `from.module`. */
  from: { module: string; population: string };
  /** A 'spikes' stimulus (input port) of module `to.module`. */
  to: { module: string; source: string };
}

/**
 * A sparse inter-module link. When several presynaptic neurons that drive the same port index
 * spike in one tick, the port index receives one spike from each (convergence adds up). Engines
 * bound the port spikes they take per tick (the conductance engine: port size × sub-steps per
 * tick); a link that converges harder fails the receiving module with that reason, never drops.
 */
export type ModuleLink = LinkEnds & LinkRule;

export const LINK_RULES = ['fixedProbability', 'oneToOne', 'pairs'] as const;

/** Thrown by validateNetwork(): lists every broken rule. `code` is stable, for wire error replies. */
export class NetworkValidationError extends Error {
  readonly code = 'NETWORK_INVALID';
  readonly issues: GraphIssue[];

  constructor(issues: GraphIssue[]) {
    super(
      `invalid network (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.element}${i.field ? ` ${i.field}` : ''}: ${i.message} [rule ${i.rule}]`).join('\n'),
    );
    this.name = 'NetworkValidationError';
    this.issues = issues;
  }
}

/**
 * Check a network once, before anything is compiled: every module's graph (its issues are
 * prefixed with the module) and every link's ends, sizes and rule. Throws NetworkValidationError
 * naming each offending module or link and the rule it breaks; returns the network, typed.
 */
export function validateNetwork(network: unknown, options: ValidateOptions = {}): Network {
  const issues: GraphIssue[] = [];
  const fail = (element: string, field: string, rule: string, message: string): void => {
    issues.push({ element, field, rule, message });
  };
  if (typeof network !== 'object' || network === null) {
    throw new NetworkValidationError([{ element: 'network', field: '', rule: 'network-object', message: 'a network must be an object' }]);
  }
  const n = network as Partial<Network>;
  for (const key of ['modules', 'links'] as const) {
    if (!Array.isArray(n[key])) fail('network', key, 'network-arrays', `'${key}' must be an array (use [] for none)`);
  }
  if (issues.length > 0) throw new NetworkValidationError(issues);
  const N = n as Network;
  if (N.modules.length === 0) fail('network', 'modules', 'modules-non-empty', 'a network needs at least one module');

  const graphs = new Map<string, Graph>();
  N.modules.forEach((m, i) => {
    const el = `module '${m?.id ?? `#${i}`}'`;
    if (typeof m?.id !== 'string' || m.id.length === 0) {
      fail(el, 'id', 'id-string', `id must be a non-empty string, got ${JSON.stringify(m?.id)}`);
      return;
    }
    if (graphs.has(m.id)) {
      fail(el, 'id', 'duplicate-id', `module id '${m.id}' is used twice`);
      return;
    }
    try {
      graphs.set(m.id, validate(m.graph, options));
    } catch (e) {
      if (!(e instanceof GraphValidationError)) throw e;
      // Keep each graph issue, prefixed with its module, so one report lists everything.
      for (const gi of e.issues) issues.push({ ...gi, element: `${el} › ${gi.element}` });
    }
  });

  const linkIds = new Set<string>();
  N.links.forEach((l, i) => {
    const el = `link '${l?.id ?? `#${i}`}'`;
    if (typeof l?.id !== 'string' || l.id.length === 0) fail(el, 'id', 'id-string', 'id must be a non-empty string');
    else if (linkIds.has(l.id)) fail(el, 'id', 'duplicate-id', `link id '${l.id}' is used twice`);
    else linkIds.add(l.id);
    checkLink(l, el, N, graphs, fail);
  });

  if (issues.length > 0) throw new NetworkValidationError(issues);
  return N;
}

type Fail = (element: string, field: string, rule: string, message: string) => void;

/** One link: both ends exist and are of the right kind, and its rule fits their sizes. */
function checkLink(l: ModuleLink, el: string, network: Network, graphs: Map<string, Graph>, fail: Fail): void {
  const moduleIds = network.modules.map((m) => m?.id).filter((id): id is string => typeof id === 'string');
  const endModule = (field: 'from' | 'to', id: unknown): Graph | undefined => {
    if (typeof id !== 'string' || !moduleIds.includes(id)) {
      fail(el, `${field}.module`, 'unknown-module', `module ${JSON.stringify(id)} is not in the network${didYouMean(String(id), moduleIds)}; modules: ${moduleIds.join(', ')}`);
      return undefined;
    }
    // A module whose graph is invalid was reported above; its ends cannot be checked further.
    return graphs.get(id);
  };

  let nPre: number | undefined;
  const from = endModule('from', l?.from?.module);
  if (from) {
    const pop = from.populations.find((p) => p.id === l.from.population);
    if (pop) nPre = pop.size;
    else {
      const isStimulus = from.stimuli.some((s) => s.id === l.from.population);
      fail(el, 'from.population', 'unknown-population', isStimulus
        ? `'${l.from.population}' is a stimulus of module '${l.from.module}'; a link starts at a population`
        : `module '${l.from.module}' has no population '${l.from.population}'${didYouMean(l.from.population, from.populations.map((p) => p.id))}`);
    }
  }

  let nPort: number | undefined;
  const to = endModule('to', l?.to?.module);
  if (to) {
    const stim = to.stimuli.find((s) => s.id === l.to.source);
    if (stim?.kind === 'spikes') nPort = stim.size;
    else if (stim) {
      fail(el, 'to.source', 'port-not-spikes-source', `'${l.to.source}' of module '${l.to.module}' is a '${stim.kind}' stimulus; a link ends at a 'spikes' source (an input port)`);
    } else if (to.populations.some((p) => p.id === l.to.source)) {
      fail(el, 'to.source', 'port-not-spikes-source', `'${l.to.source}' of module '${l.to.module}' is a population; a link ends at a 'spikes' source that projects onto it. Add { kind: 'spikes', id, size } and a projection from it`);
    } else {
      const ports = to.stimuli.filter((s) => s.kind === 'spikes').map((s) => s.id);
      fail(el, 'to.source', 'unknown-source', `module '${l.to.module}' has no 'spikes' source '${l.to.source}'${didYouMean(l.to.source, ports)}; its ports: ${ports.join(', ') || 'none'}`);
    }
  }

  switch (l?.rule) {
    case 'fixedProbability':
      if (!(typeof l.p === 'number' && l.p >= 0 && l.p <= 1)) fail(el, 'p', 'probability-range', `fixedProbability needs p within [0, 1], got ${l.p}`);
      break;
    case 'oneToOne':
      if (nPre !== undefined && nPort !== undefined && nPre !== nPort) {
        fail(el, 'rule', 'one-to-one-sizes', `oneToOne needs equal sizes, got ${nPre} ('${l.from.module}'.'${l.from.population}') and ${nPort} (port '${l.to.module}'.'${l.to.source}'); resize the port or use 'pairs'`);
      }
      break;
    case 'pairs':
      if (!Array.isArray(l.pre) || !Array.isArray(l.post) || l.pre.length !== l.post.length) {
        fail(el, 'pre', 'parallel-arrays', 'pairs needs pre and post index arrays of equal length');
        break;
      }
      l.pre.forEach((k, i) => {
        if (!Number.isInteger(k) || k < 0 || (nPre !== undefined && k >= nPre)) fail(el, `pre[${i}]`, 'index-range', `pre index ${k} is outside [0, ${nPre ?? '?'}) of '${l.from.population}'`);
      });
      l.post.forEach((k, i) => {
        if (!Number.isInteger(k) || k < 0 || (nPort !== undefined && k >= nPort)) fail(el, `post[${i}]`, 'index-range', `port index ${k} is outside [0, ${nPort ?? '?'}) of '${l.to.source}'`);
      });
      break;
    default:
      fail(el, 'rule', 'unknown-link-rule', `unknown link rule ${JSON.stringify((l as { rule?: unknown })?.rule)}; expected ${LINK_RULES.join(', ')}`);
  }
}
