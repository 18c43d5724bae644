import { describe, expect, it } from 'vitest';
import { arr, check, checkFields, int, isPlainObject, nullable, num, obj, opt, rec, SchemaError, str, typed } from '../../../runtime/server/schema.ts';

describe('schema', () => {
  const fail = (f: () => void): SchemaError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(SchemaError);
      return e as SchemaError;
    }
    throw new Error('accepted');
  };

  it('checks scalars with ranges', () => {
    check(3, int(0, 3));
    expect(fail(() => check(4, int(0, 3), 'n')).message).toBe('n: integer 4 is outside [0, 3]');
    check(0.5, num(0, 1));
    expect(fail(() => check(NaN, num())).message).toMatch(/NaN/);
    check(NaN, num(undefined, undefined, true));
    expect(fail(() => check('x'.repeat(11), str(10))).message).toMatch(/longer than 10/);
  });

  it('checks typed arrays by kind and length (a Node Buffer is a Uint8Array)', () => {
    check(new Int32Array(2), typed('Int32Array', 2));
    check(Buffer.from([1]), typed('Uint8Array'));
    fail(() => check(new Uint32Array(2), typed('Int32Array')));
    fail(() => check(new Int32Array(3), typed('Int32Array', 2)));
    fail(() => check(new Uint8ClampedArray(1), typed('Uint8Array')));
  });

  it('paths name nested fields; unknown and missing fields are errors', () => {
    const f = { a: arr(obj({ b: nullable(int()) })), c: opt(rec(str())) };
    checkFields({ a: [{ b: null }, { b: 2 }] }, f);
    expect(fail(() => checkFields({ a: [{ b: 1 }, { b: 'x' }] }, f)).path).toBe('a[1].b');
    expect(fail(() => checkFields({ a: [], c: { k: 1 } }, f)).path).toBe('c.k');
    expect(fail(() => checkFields({ a: [], d: 1 }, f)).path).toBe('d');
    expect(fail(() => checkFields({}, f)).message).toBe('a: missing required field');
  });

  it('only plain maps count as objects', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    for (const v of [new Map(), new Set(), new Date(), [], new Uint8Array(1), null, new (class X {})()]) expect(isPlainObject(v)).toBe(false);
  });
});
