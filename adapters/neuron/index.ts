export { compile, NeuronEngine, type NeuronCompileOptions } from './engine.ts';
