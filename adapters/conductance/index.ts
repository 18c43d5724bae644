export { compile, ConductanceEngine, resolveParams, type CompileOptions, type EngineStructure, type KernelKind } from './engine.ts';
