/** What every scenario receives and returns; see scenarios/registry.ts for the list. */
export interface ScenarioOptions {
  seed?: number;
  /** Smaller, faster variant (tests and CI). */
  quick?: boolean;
  backend?: string;
  script?: string;
  /** Write the scenario's calibration artifact (if it has one) to its committed place under data/. */
  save?: boolean;
  log?: (line: string) => void;
}

export interface ScenarioReport {
  /** The metrics; printed as the last stdout line with --json. */
  result: Record<string, unknown>;
  /** Human-readable table lines. */
  table: string[];
  /** An SVG figure, written next to the JSON. */
  svg?: string;
}

export interface Scenario {
  description: string;
  run(options: ScenarioOptions): Promise<ScenarioReport>;
}
