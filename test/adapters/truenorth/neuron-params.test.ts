import { describe, expect, it } from 'vitest';
import { INERT_NEURON, PARAM_NAMES, checkNeuronParams, compileNeuron, parseNeuronParams } from '../../../adapters/truenorth/neuron-params.ts';
import { TrueNorthError } from '../../../adapters/truenorth/errors.ts';

describe('neuron parameters (IBM names)', () => {
  it('has the 24 pytruenorth NEURON_PARAM_NAMES, in order', () => {
    expect(PARAM_NAMES.join(' ')).toBe(
      'sigma0 sigma1 sigma2 sigma3 s0 s1 s2 s3 b0 b1 b2 b3 sigma_lambda lambda c_lambda epsilon alpha beta TM gamma kappa sigma_VR VR V',
    );
  });

  it('accepts IBM booleans for flags and stores them as 0/1', () => {
    const p = parseNeuronParams({ ...INERT_NEURON, b2: true, kappa: false, c_lambda: true }, { where: 'P.json' });
    expect([p.b2, p.kappa, p.c_lambda]).toEqual([1, 0, 1]);
  });

  it('compiles signs, reset potential and threshold mask: R = sigma_VR·(2^VR − 1), mask = 2^TM − 1', () => {
    const c = compileNeuron({ ...INERT_NEURON, sigma1: -1, s1: 7, sigma_lambda: -1, lambda: 3, sigma_VR: -1, VR: 18, TM: 8 });
    expect(c.weight).toEqual([0, -7, 0, 0]);
    expect(c.leak).toBe(-3);
    expect(c.resetPotential).toBe(-262143);
    expect(c.thresholdMask).toBe(255);
    expect(compileNeuron({ ...INERT_NEURON, VR: 0, TM: 0 })).toMatchObject({ resetPotential: 0, thresholdMask: 0 });
  });

  it('lists every problem at once, each with field, rule and found value', () => {
    const { params, issues } = checkNeuronParams({ ...INERT_NEURON, sigma0: 0, gamma: 3, TM: 9, V: 1.5, Alpha: 1 }, { where: 'P.json' });
    expect(params).toBeUndefined();
    expect(issues.map((i) => `${i.field}:${i.rule}`).sort()).toEqual(['Alpha:unknown-field', 'TM:range', 'V:integer', 'gamma:range', 'sigma0:sign']);
    expect(issues.find((i) => i.field === 'Alpha')!.message).toMatch(/did you mean 'alpha'\?/);
    expect(issues.find((i) => i.field === 'TM')!.message).toBe('must be an integer in [0, 8], got 9');
  });

  it('rejects a non-object with TN_PARAMS_INVALID', () => {
    try {
      parseNeuronParams([1, 2], { where: 'P.json' });
      expect.fail('expected a TrueNorthError');
    } catch (e) {
      expect(e).toBeInstanceOf(TrueNorthError);
      expect((e as TrueNorthError).code).toBe('TN_PARAMS_INVALID');
      expect((e as Error).message).toMatch(/P\.json: must be a JSON object of neuron parameters, got an array \[rule type\]/);
    }
  });
});
