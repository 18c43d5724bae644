/** A benchmark: measures, prints human-readable lines through `log`, returns the figures. */
export interface BenchOptions {
  json: boolean;
  log: (line: string) => void;
  /** Extra arguments after the benchmark name. */
  args: string[];
}

export interface Benchmark {
  description: string;
  run(options: BenchOptions): Promise<Record<string, unknown>>;
}
