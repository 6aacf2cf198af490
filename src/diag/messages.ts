import { nearest } from './suggest.js';

/**
 * Every user-facing text about bad input, in one catalogue (as Vega-Lite's
 * log/message.ts): tests assert against these functions, not copied strings.
 * Each returns [problem, hint?].
 */
export type Message = [problem: string, hint?: string];

const didYouMean = (name: string, allowed: readonly string[]) => {
  const n = nearest(name, allowed);
  return n ? `did you mean ${n}?` : `expected one of: ${allowed.join(', ')}`;
};

export const msg = {
  cannotRead: (reason: string): Message => ['cannot read the file', reason],
  yamlSyntax: (detail: string): Message => [`YAML syntax error: ${detail}`],
  notAnObject: (): Message => ['expected a mapping of fields (key: value)'],
  unknownKey: (key: string, allowed: readonly string[]): Message => [`unknown field "${key}"`, didYouMean(key, allowed)],
  missing: (): Message => ['missing (required)'],
  wrongType: (expected: string, got: string): Message => [`expected ${expected}, got ${got}`],
  unknownModel: (name: string, models: readonly string[]): Message => [`model "${name}" is not defined in models`, didYouMean(name, models)],
  badSize: (value: string): Message => [`"${value}" is not a size`, 'write a number with a unit, e.g. 24GiB, 6.2GiB or 10GB'],
  badDuration: (value: string): Message => [`"${value}" is not a duration`, 'write seconds as a number, or a duration such as 8s, 1m30s, 250ms'],
  negative: (value: string): Message => [`${value} is negative`, 'times and durations must be ≥ 0'],
  notFinite: (value: string): Message => [`${value} is not a finite number`],
  notNumber: (value: string): Message => [`"${value}" is not a number`, 'seconds, e.g. 12.5'],
  notPositiveInt: (value: string): Message => [`${value} is not a positive whole number`],
  badOp: (value: string): Message => [`unknown op "${value}"`, didYouMean(value, ['generate', 'preload', 'unload'])],
  unitlessKeepAlive: (value: string): Message => [
    `"${value}" has no unit; Ollama would answer 400 "missing unit in duration"`,
    'write a number of seconds, or a duration such as "5m"',
  ],
  badKeepAlive: (value: string): Message => [`${value} is not a keep_alive Ollama accepts`, 'a number of seconds, or a Go duration such as "5m" or "-1m"'],
  outOfOrder: (at: number, previous: number): Message => [`arrivals out of order: ${at} after ${previous}`, 'sort the trace by its arrival time'],
  noWorkload: (): Message => ['give either trace or requests'],
  bothWorkloads: (): Message => ['give trace or requests, not both'],
  duplicateCandidate: (name: string): Message => [`candidate name "${name}" is used twice`, 'each candidate needs its own name'],
  emptyName: (): Message => ['candidate name is empty'],
  missingColumn: (column: string): Message => [`the header has no "${column}" column`, 'a trace needs at least at,model,duration'],
  unknownColumn: (column: string, allowed: readonly string[]): Message => [`unknown column "${column}"`, didYouMean(column, allowed)],
  csvSyntax: (detail: string): Message => [`CSV error: ${detail}`],
  durationRequired: (): Message => ['missing (required for generate requests)'],
  warmDuplicate: (name: string): Message => [`model "${name}" is listed twice`],
  noGpus: (): Message => ['missing (required)', 'give gpus: [ { vram: 24GiB } ], gpu: rtx-4090 (with count), or gpus: [] for a CPU-only host'],
  unknownCatalogue: (kind: string, name: string, known: readonly string[]): Message => [`unknown ${kind} "${name}"`, didYouMean(name, known)],
  notInCatalogue: (name: string, known: readonly string[]): Message => {
    const n = nearest(name, known);
    return [`"${name}" is not in the model catalogue, so it needs vram and load`, n ? `did you mean ${n}? or give vram and load` : 'give vram and load, or a catalogue tag (ollamasim models)'];
  },
} as const;
