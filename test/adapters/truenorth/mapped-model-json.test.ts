/**
 * The mapped model as JSON: it round-trips (same data, same spikes), and a broken file is rejected
 * with every problem listed.
 */
import { describe, expect, it } from 'vitest';
import { mapGraph } from '../../../adapters/truenorth/compile.ts';
import { buildNetwork, modelToJson, parseModel, type MappedModel } from '../../../adapters/truenorth/mapped-model-json.ts';
import { TrueNorthError } from '../../../adapters/truenorth/errors.ts';
import { swtaModule } from '../../../src/motifs/swta-module.ts';
import { TEST_GAINS } from './gains.ts';

function sWtaModel(): MappedModel {
  const m = swtaModule({ pools: 2, poolSize: 40, prefix: 'm' });
  return mapGraph(m.graph, { seed: 5, gains: TEST_GAINS }).model;
}

/** Spikes (global ids per tick) of a network driven by the model's first source at every tick. */
function raster(model: MappedModel, ticks: number): number[][] {
  const net = buildNetwork(model);
  const src = model.sources.find((s) => s.targets.some((t) => t.length > 0))!;
  const out: number[][] = [];
  for (let t = 0; t < ticks; t++) {
    src.targets.forEach((targets, i) => {
      if ((i + t) % 3 !== 0) return;
      for (let k = 0; k < targets.length; k += 3) net.inject(targets[k]!, targets[k + 1]!, targets[k + 2]!);
    });
    const n = net.step();
    out.push(Array.from(net.fired.subarray(0, n)));
  }
  return out;
}

describe('mapped model JSON', () => {
  it('round-trips: parse(JSON) equals the model, and both run the same spikes', () => {
    const model = sWtaModel();
    const text = modelToJson(model);
    const back = parseModel(text);
    expect(back).toEqual(JSON.parse(JSON.stringify(model)));
    expect(modelToJson(back)).toBe(text);
    const a = raster(model, 200);
    expect(a.flat().length).toBeGreaterThan(100); // the network is not silent
    expect(raster(back, 200)).toEqual(a);
  });

  it('holds per-core crossbars, neuron parameters under IBM names, destinations and the report', () => {
    const model = sWtaModel();
    expect(model.format).toBe('swta-truenorth-model');
    expect(model.version).toBe(1);
    expect(Object.keys(model.neuronTypes[0]!.params)).toEqual(expect.arrayContaining(['sigma0', 's0', 'lambda', 'alpha', 'TM', 'gamma', 'kappa', 'VR']));
    const core = model.cores[0]!;
    expect(core.axons[0]).toEqual({ type: expect.any(Number), neurons: expect.any(Array) });
    expect(core.neurons.some((n) => n.dest !== null)).toBe(true);
    expect(model.report.cores).toBe(model.cores.length);
    expect(model.report.neurons).toBe(model.cores.reduce((a, c) => a + c.neurons.length, 0));
  });

  it('rejects a broken model, listing each problem with where it is', () => {
    const model = JSON.parse(modelToJson(sWtaModel())) as MappedModel;
    model.version = 2 as 1;
    let err: unknown;
    try {
      parseModel(model);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrueNorthError);
    expect((err as TrueNorthError).issues[0]).toMatchObject({ where: 'model', field: 'version' });

    const m2 = JSON.parse(modelToJson(sWtaModel())) as MappedModel;
    m2.cores[0]!.neurons[0]!.dest = [99, 0, 1];
    m2.cores[0]!.axons[0]!.type = 7;
    m2.neuronTypes[0]!.params.alpha = -1;
    try {
      parseModel(m2);
      expect.unreachable();
    } catch (e) {
      const issues = (e as TrueNorthError).issues;
      expect(issues.map((i) => `${i.where}|${i.field}`)).toEqual(expect.arrayContaining(['core 0 neuron 0 dest|core', 'core 0 axon 0|type', 'neuronTypes[0].params|alpha']));
    }
    expect(() => parseModel('{not json')).toThrow(/TN_FILE_UNREADABLE/);
  });
});
