/** One broken rule in a TrueNorth configuration: where, which field, which rule, what was found. */
export interface TrueNorthIssue {
  /** The object, e.g. "P.json", "I.json tick 3", "core 2 neuron 17". */
  where: string;
  /** The field, e.g. "alpha" or "[3][1]"; '' when the object as a whole is wrong. */
  field: string;
  /** Stable rule name: 'required', 'unknown-field', 'integer', 'range', 'sign', 'flag', 'type', 'json'. */
  rule: string;
  /** Found value and expected range, and a fix when one is obvious. */
  message: string;
}

/** Stable codes, forwarded as-is by the CLI and (later) by the server. */
export type TrueNorthErrorCode =
  | 'TN_PARAMS_INVALID' // neuron parameters (P.json or Core.setNeuron)
  | 'TN_INPUTS_INVALID' // per-tick axon-type lists (I.json)
  | 'TN_ARGS_INVALID' // command-line arguments
  | 'TN_FILE_UNREADABLE' // a file that cannot be read or is not JSON
  | 'TN_CONFIG_INVALID'; // core / network wiring: axon, neuron, destination, delay out of range

/** Thrown for any invalid TrueNorth configuration; lists every broken rule at once. */
export class TrueNorthError extends Error {
  readonly code: TrueNorthErrorCode;
  readonly issues: readonly TrueNorthIssue[];

  constructor(code: TrueNorthErrorCode, issues: readonly TrueNorthIssue[]) {
    const lines = issues.map((i) => `  - ${i.where}${i.field ? ` ${i.field}` : ''}: ${i.message} [rule ${i.rule}]`);
    super(`${code}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${lines.join('\n')}`);
    this.name = 'TrueNorthError';
    this.code = code;
    this.issues = issues;
  }
}
