/** One broken rule: which element, which rule, and what was found. */
export interface GraphIssue {
  /** The element, e.g. "projection 'E->I'" or "population 'pyr'". */
  element: string;
  /** Field path within the element, e.g. "connect.p". */
  field: string;
  /** Stable rule name, e.g. 'probability-range'. */
  rule: string;
  /** Human-readable explanation with the found value and what is expected. */
  message: string;
}

/** Thrown by validate(): lists every broken rule. `code` is stable, for wire error replies. */
export class GraphValidationError extends Error {
  readonly code = 'GRAPH_INVALID';
  readonly issues: GraphIssue[];

  constructor(issues: GraphIssue[]) {
    super(
      `invalid graph (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.element}${i.field ? ` ${i.field}` : ''}: ${i.message} [rule ${i.rule}]`).join('\n'),
    );
    this.name = 'GraphValidationError';
    this.issues = issues;
  }
}
