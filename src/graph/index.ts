export type * from './types.ts';
export { validate, type ValidateOptions } from './validate.ts';
export { GraphValidationError, type GraphIssue } from './errors.ts';
export { graphToJson, graphFromJson } from './json.ts';
export { emptyGraph, l23Projection, type L23ProjectionOptions } from './build.ts';
