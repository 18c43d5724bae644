import type { Graph } from './types.ts';
import { validate, type ValidateOptions } from './validate.ts';

/** A graph is plain data: this is its whole serialization. */
export function graphToJson(graph: Graph): string {
  return JSON.stringify(graph);
}

/** Parse and validate; malformed JSON and invalid graphs both throw with a clear message. */
export function graphFromJson(text: string, options?: ValidateOptions): Graph {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`graph JSON does not parse: ${(e as Error).message}`);
  }
  return validate(data, options);
}
