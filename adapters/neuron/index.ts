export { compile, NeuronEngine, setDefaultProcesses, type NeuronCompileOptions } from './engine.ts';
