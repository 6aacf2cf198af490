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

/** Line 0: the file as a whole (it is missing, a folder, empty): no line is made up, and no field named. */
export function formatDiagnostic(d: Diagnostic): string {
  // The command line has no lines: `(command line): FLAG: problem`.
  if (d.line <= 0 || d.file === '(command line)') return `${d.file}: ${d.field === FILE_FIELD ? '' : `${clip(d.field)}: `}${clip(d.problem)}${d.hint ? ` (${clip(d.hint)})` : ''}`;
  return `${d.file}:${d.line}: ${clip(d.field)}: ${clip(d.problem)}${d.hint ? ` (${clip(d.hint)})` : ''}`;
}

/**
 * User text quoted in a message stays on one line and readable: control
 * characters are escaped, and a very long value (a 10 000-character model
 * name) is shortened in the middle.
 */
function clip(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return flat.length > 300 ? `${flat.slice(0, 140)}…${flat.slice(-140)}` : flat;
}

/** The field of a whole-file problem. */
export const FILE_FIELD = '(file)';

export class InputError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
    this.name = 'InputError';
  }

  /** Where the mistake is: the file as given, its 1-based line, the dotted field (or CSV column). */
  get file(): string {
    return this.diagnostic.file;
  }

  get line(): number {
    return this.diagnostic.line;
  }

  get field(): string {
    return this.diagnostic.field;
  }
}
