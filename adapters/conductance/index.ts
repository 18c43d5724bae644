export { compile, ConductanceEngine, resolveParams, type CompileOptions } from './engine.ts';
