/**
 * A mistake in the user's input: one line, `FILE:LINE: field: what is wrong (hint)`.
 * The CLI prints the message and exits 2; nothing else ever reaches the user for
 * bad input (no stack trace, nothing silently skipped).
 */
export interface Diagnostic {
  file: string;
  line: number;
  field: string;
  problem: string;
  hint?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.field}: ${d.problem}${d.hint ? ` (${d.hint})` : ''}`;
}

export class InputError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
    this.name = 'InputError';
  }
}
