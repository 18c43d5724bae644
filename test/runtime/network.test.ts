import { describe, expect, it } from 'vitest';
import { NetworkValidationError, validateNetwork, type ModuleLink, type Network } from '../../src/graph/network.ts';
import { ringNetwork } from './fixtures.ts';

/** Validation of src/graph/network.ts: each test breaks one rule of a valid 3-module ring. */
function base(): Network {
  return structuredClone(ringNetwork(3));
}

function issuesOf(network: unknown): { element: string; field: string; rule: string; message: string }[] {
  try {
    validateNetwork(network);
  } catch (e) {
    expect(e).toBeInstanceOf(NetworkValidationError);
    expect((e as NetworkValidationError).code).toBe('NETWORK_INVALID');
    return (e as NetworkValidationError).issues;
  }
  throw new Error('expected the network to be invalid');
}

function withLink(patch: Partial<ModuleLink> & Record<string, unknown>): Network {
  const n = base();
  n.links[0] = { ...n.links[0]!, ...patch } as ModuleLink;
  return n;
}

describe('validateNetwork', () => {
  it('accepts a valid ring with recurrent links and returns it', () => {
    const n = base();
    expect(validateNetwork(n)).toBe(n);
  });

  it('rejects non-objects and missing arrays', () => {
    expect(issuesOf(null)[0]!.rule).toBe('network-object');
    expect(issuesOf({ modules: [] }).map((i) => `${i.field}:${i.rule}`)).toEqual(['links:network-arrays']);
    expect(issuesOf({ modules: [], links: [] })[0]!.rule).toBe('modules-non-empty');
  });

  it('names a duplicate module id', () => {
    const n = base();
    n.modules[1]!.id = 'm0';
    expect(issuesOf(n).some((i) => i.element === "module 'm0'" && i.rule === 'duplicate-id')).toBe(true);
  });

  it("prefixes a module graph's own issues with the module", () => {
    const n = base();
    n.modules[2]!.graph.projections[0]!.delayMs = 0;
    const issue = issuesOf(n).find((i) => i.rule === 'delay-min')!;
    expect(issue.element).toBe("module 'm2' › projection 'bg->E'");
  });

  it('names an unknown module and suggests the closest', () => {
    const issue = issuesOf(withLink({ to: { module: 'm9', source: 'in' } })).find((i) => i.rule === 'unknown-module')!;
    expect(issue).toMatchObject({ element: "link 'm0->m1'", field: 'to.module' });
    expect(issue.message).toMatch(/"m9" is not in the network\. Did you mean 'm0'\?; modules: m0, m1, m2/);
  });

  it('names an unknown population, and says when the name is a stimulus', () => {
    const unknown = issuesOf(withLink({ from: { module: 'm0', population: 'EE' } })).find((i) => i.rule === 'unknown-population')!;
    expect(unknown.message).toMatch(/module 'm0' has no population 'EE'\. Did you mean 'E'\?/);
    const stim = issuesOf(withLink({ from: { module: 'm0', population: 'bg' } })).find((i) => i.rule === 'unknown-population')!;
    expect(stim.message).toMatch(/'bg' is a stimulus of module 'm0'; a link starts at a population/);
  });

  it('requires the port to be a spikes source', () => {
    const poisson = issuesOf(withLink({ to: { module: 'm1', source: 'bg' } })).find((i) => i.field === 'to.source')!;
    expect(poisson).toMatchObject({ rule: 'port-not-spikes-source' });
    expect(poisson.message).toMatch(/is a 'poisson' stimulus/);
    const pop = issuesOf(withLink({ to: { module: 'm1', source: 'E' } })).find((i) => i.field === 'to.source')!;
    expect(pop.message).toMatch(/is a population; a link ends at a 'spikes' source/);
    const missing = issuesOf(withLink({ to: { module: 'm1', source: 'inn' } })).find((i) => i.field === 'to.source')!;
    expect(missing).toMatchObject({ rule: 'unknown-source' });
    expect(missing.message).toMatch(/Did you mean 'in'\?; its ports: in/);
  });

  it('checks each rule: probability range, oneToOne sizes, pairs arrays and ranges, unknown rule', () => {
    expect(issuesOf(withLink({ rule: 'fixedProbability', p: 1.5 }))[0]).toMatchObject({ field: 'p', rule: 'probability-range' });
    const n = base();
    n.modules[1]!.graph.stimuli[1] = { kind: 'spikes', id: 'in', size: 12 };
    n.modules[1]!.graph.projections[4]!.connect = { rule: 'fixedProbability', p: 0.5 };
    const sizes = issuesOf(n).find((i) => i.rule === 'one-to-one-sizes')!;
    expect(sizes.element).toBe("link 'm2=>m1'");
    expect(sizes.message).toMatch(/got 30 \('m2'\.'E'\) and 12 \(port 'm1'\.'in'\); resize the port or use 'pairs'/);
    expect(issuesOf(withLink({ rule: 'pairs', pre: [0, 1], post: [0] }))[0]!.rule).toBe('parallel-arrays');
    const ranges = issuesOf(withLink({ rule: 'pairs', pre: [0, 30], post: [-1, 2] }));
    expect(ranges.map((i) => `${i.field}:${i.rule}`)).toEqual(['pre[1]:index-range', 'post[0]:index-range']);
    expect(issuesOf(withLink({ rule: 'allToAll' as 'oneToOne' }))[0]!.message).toMatch(/unknown link rule "allToAll"; expected fixedProbability, oneToOne, pairs/);
  });

  it('names a duplicate link id and lists every problem in one error', () => {
    const n = base();
    n.links[1]!.id = n.links[0]!.id;
    (n.links[2] as { p?: number }).p = -1;
    const issues = issuesOf(n);
    expect(issues.map((i) => i.rule)).toEqual(['duplicate-id', 'probability-range']);
    expect(() => validateNetwork(n)).toThrow(/invalid network \(2 problems\):\n  - link 'm0->m1' id: link id 'm0->m1' is used twice \[rule duplicate-id\]/);
  });
});
