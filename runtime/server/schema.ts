/**
 * A small declarative schema checker for wire messages: plain data in, the same data out (typed by
 * the caller) or a SchemaError naming the path, the expected and the actual value. Strict: a field
 * the schema does not name is an error, so a typo ("rateHZ") never passes silently.
 *
 * No dependency and no Node import: the browser viewer bundles it too.
 */
export type TypedArrayName =
  | 'Int8Array' | 'Uint8Array' | 'Uint8ClampedArray' | 'Int16Array' | 'Uint16Array'
  | 'Int32Array' | 'Uint32Array' | 'Float32Array' | 'Float64Array';

export type Field =
  | { kind: 'string'; maxLength?: number; oneOf?: readonly string[] }
  | { kind: 'int'; min?: number; max?: number }
  /** A finite number unless `nan` allows NaN (status figures before the first tick). */
  | { kind: 'number'; min?: number; max?: number; nan?: boolean }
  | { kind: 'bool' }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'typed'; of: TypedArrayName; maxLength?: number }
  | { kind: 'array'; of: Field; maxLength?: number }
  | { kind: 'object'; fields: Fields }
  /** A map with string keys (at most `maxKeys`) and values of one kind. */
  | { kind: 'record'; of: Field; maxKeys?: number; keyMaxLength?: number }
  | { kind: 'nullable'; of: Field }
  /** The first alternative that accepts the value wins. */
  | { kind: 'either'; of: readonly Field[]; describe: string };

/** Fields of an object; `optional` ones may be absent. */
export type Fields = Readonly<Record<string, Field & { optional?: boolean }>>;

/** A value at `path` broke the schema. */
export class SchemaError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path || 'message'}: ${message}`);
    this.name = 'SchemaError';
    this.path = path;
  }
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of ${(v as unknown as ArrayLike<unknown>).length ?? v.byteLength}`;
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
    return proto === null || proto === Object.prototype ? 'a map' : `a ${proto.constructor?.name ?? 'object'}`;
  }
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  return `${typeof v} ${String(v)}`;
}

/** A plain map as decoded from MessagePack (not a Map, Set, Date, Error or class instance). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Checks `value` against `field`; throws SchemaError at the first violation. Uint8Array fields
 * also accept a Node Buffer (how MessagePack bin decodes in Node).
 */
export function check(value: unknown, field: Field, path = ''): void {
  switch (field.kind) {
    case 'string':
      if (typeof value !== 'string') throw new SchemaError(path, `expected a string, got ${describeValue(value)}`);
      if (value.length > (field.maxLength ?? 256)) throw new SchemaError(path, `string of ${value.length} characters is longer than ${field.maxLength ?? 256}`);
      if (field.oneOf && !field.oneOf.includes(value)) throw new SchemaError(path, `expected one of ${field.oneOf.map((s) => `'${s}'`).join(', ')}, got ${describeValue(value)}`);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new SchemaError(path, `expected an integer, got ${describeValue(value)}`);
      if (value < (field.min ?? Number.MIN_SAFE_INTEGER) || value > (field.max ?? Number.MAX_SAFE_INTEGER)) {
        throw new SchemaError(path, `integer ${value} is outside [${field.min ?? '-2^53'}, ${field.max ?? '2^53'}]`);
      }
      return;
    case 'number':
      if (typeof value !== 'number') throw new SchemaError(path, `expected a number, got ${describeValue(value)}`);
      if (Number.isNaN(value)) {
        if (field.nan) return;
        throw new SchemaError(path, 'expected a finite number, got NaN');
      }
      if (!Number.isFinite(value)) throw new SchemaError(path, `expected a finite number, got ${value}`);
      if (value < (field.min ?? -Infinity) || value > (field.max ?? Infinity)) {
        throw new SchemaError(path, `${value} is outside [${field.min ?? '-inf'}, ${field.max ?? 'inf'}]`);
      }
      return;
    case 'bool':
      if (typeof value !== 'boolean') throw new SchemaError(path, `expected true or false, got ${describeValue(value)}`);
      return;
    case 'literal':
      if (value !== field.value) throw new SchemaError(path, `expected ${JSON.stringify(field.value)}, got ${describeValue(value)}`);
      return;
    case 'typed': {
      const ok = ArrayBuffer.isView(value) && (value.constructor.name === field.of || (field.of === 'Uint8Array' && value instanceof Uint8Array && !(value instanceof Uint8ClampedArray)));
      if (!ok) throw new SchemaError(path, `expected a ${field.of}, got ${describeValue(value)}`);
      const n = (value as unknown as ArrayLike<number>).length;
      if (field.maxLength !== undefined && n > field.maxLength) throw new SchemaError(path, `${field.of} of ${n} elements is longer than ${field.maxLength}`);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) throw new SchemaError(path, `expected an array, got ${describeValue(value)}`);
      if (value.length > (field.maxLength ?? 1024)) throw new SchemaError(path, `array of ${value.length} is longer than ${field.maxLength ?? 1024}`);
      for (let i = 0; i < value.length; i++) check(value[i], field.of, `${path}[${i}]`);
      return;
    case 'object':
      checkFields(value, field.fields, path);
      return;
    case 'record': {
      if (!isPlainObject(value)) throw new SchemaError(path, `expected a map, got ${describeValue(value)}`);
      const keys = Object.keys(value);
      if (keys.length > (field.maxKeys ?? 1024)) throw new SchemaError(path, `map of ${keys.length} keys has more than ${field.maxKeys ?? 1024}`);
      for (const k of keys) {
        if (k.length > (field.keyMaxLength ?? 256)) throw new SchemaError(path, `key of ${k.length} characters is longer than ${field.keyMaxLength ?? 256}`);
        check(value[k], field.of, `${path}.${k}`);
      }
      return;
    }
    case 'nullable':
      if (value === null) return;
      check(value, field.of, path);
      return;
    case 'either':
      for (const alt of field.of) {
        try {
          check(value, alt, path);
          return;
        } catch (e) {
          if (!(e instanceof SchemaError)) throw e;
        }
      }
      throw new SchemaError(path, `expected ${field.describe}, got ${describeValue(value)}`);
  }
}

/** Checks a plain object against its fields: every required one present, no unknown one. */
export function checkFields(value: unknown, fields: Fields, path = ''): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) throw new SchemaError(path, `expected a map, got ${describeValue(value)}`);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(fields, key)) {
      throw new SchemaError(join(path, key), `unknown field; expected ${Object.keys(fields).map((k) => `'${k}'`).join(', ')}`);
    }
  }
  for (const [key, f] of Object.entries(fields)) {
    const v = value[key];
    if (v === undefined) {
      if (f.optional) continue;
      throw new SchemaError(join(path, key), 'missing required field');
    }
    check(v, f, join(path, key));
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

// Shorthands that keep the message tables readable.
export const str = (maxLength = 256, oneOf?: readonly string[]): Field => (oneOf ? { kind: 'string', maxLength, oneOf } : { kind: 'string', maxLength });
export const int = (min?: number, max?: number): Field => ({ kind: 'int', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
export const num = (min?: number, max?: number, nan = false): Field => ({ kind: 'number', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), nan });
export const bool: Field = { kind: 'bool' };
export const lit = (value: string | number | boolean): Field => ({ kind: 'literal', value });
export const typed = (of: TypedArrayName, maxLength?: number): Field => ({ kind: 'typed', of, ...(maxLength === undefined ? {} : { maxLength }) });
export const arr = (of: Field, maxLength?: number): Field => ({ kind: 'array', of, ...(maxLength === undefined ? {} : { maxLength }) });
export const obj = (fields: Fields): Field => ({ kind: 'object', fields });
export const rec = (of: Field, maxKeys?: number): Field => ({ kind: 'record', of, ...(maxKeys === undefined ? {} : { maxKeys }) });
export const nullable = (of: Field): Field => ({ kind: 'nullable', of });
export const opt = <F extends Field>(f: F): F & { optional: true } => ({ ...f, optional: true });
