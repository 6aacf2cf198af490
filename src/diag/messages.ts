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

/** Node's file error codes in words (reading or writing). */
const FILE_PROBLEMS: Record<string, Message> = {
  ENOENT: ['no such file'],
  EISDIR: ['is a directory', 'give a file'],
  ENOTDIR: ['a part of the path is not a directory'],
  EACCES: ['permission denied'],
  EPERM: ['permission denied'],
  EROFS: ['read-only file system'],
  ENOSPC: ['no space left on the device'],
  EEXIST: ['already exists'],
  EMPTY: ['file is empty'],
  NOTDIR: ['is not a directory'],
};

/**
 * Problems with one field's value in one row (missing, not a number, not a
 * time, negative, out of range): what `bad_rows: skip` may leave out. Ordering,
 * mapping, syntax and file problems are never among them.
 */
const BAD_VALUES = new WeakSet<Message>();
const badValue = (m: Message): Message => {
  BAD_VALUES.add(m);
  return m;
};
export const isBadValue = (m: Message): boolean => BAD_VALUES.has(m);

export const msg = {
  cannotRead: (code: string): Message => FILE_PROBLEMS[code] ?? ['cannot read the file', code],
  cannotWrite: (code: string): Message => {
    const [problem, hint] = FILE_PROBLEMS[code] ?? [code];
    return [`cannot write: ${problem}`, hint ?? 'give --out a folder you can write to'];
  },
  yamlSyntax: (detail: string): Message => [`YAML syntax error: ${detail}`],
  notAnObject: (): Message => ['expected a mapping of fields (key: value)'],
  unknownKey: (key: string, allowed: readonly string[]): Message => [`unknown field "${key}"`, didYouMean(key, allowed)],
  missing: (): Message => badValue(['missing (required)']),
  wrongType: (expected: string, got: string): Message => badValue([`expected ${expected}, got ${got}`]),
  unknownModel: (name: string, models: readonly string[]): Message => [`model "${name}" is not defined in models`, didYouMean(name, models)],
  badSize: (value: string): Message => [`"${value}" is not a size`, 'write a number with a unit, e.g. 24GiB, 6.2GiB or 10GB'],
  /** A bare number would be ambiguous (bytes? GB? GiB?), so only 0 may go without a unit. */
  sizeNoUnit: (value: string): Message => [`${value} has no unit`, 'write a unit, e.g. 24GiB (powers of 2) or 24GB (powers of 10)'],
  badDuration: (value: string): Message => badValue([`"${value}" is not a duration`, 'write seconds as a number, or a duration such as 8s, 1m30s, 250ms']),
  negative: (value: string): Message => badValue([`${value} is negative`, 'times and durations must be ≥ 0']),
  notFinite: (value: string): Message => badValue([`${value} is not a finite number`]),
  outOfRange: (value: string, range: string): Message => badValue([`${value} is out of range`, range]),
  tooManyRequests: (would: string, limit: number): Message => [
    `would make ${would} requests, more than ${limit.toLocaleString('en-US')} per workload`,
    'lower the rate, the length or the scale, or raise the limit with --max-requests',
  ],
  notNumber: (value: string): Message => badValue([`"${value}" is not a number`, 'seconds, e.g. 12.5']),
  argNotNumber: (value: string): Message => [`"${value}" is not a number`],
  notPositiveInt: (value: string): Message => badValue([`${value} is not a positive whole number`]),
  badShare: (value: string): Message => [`"${value}" is not a share`, 'a percentage such as 5% or a fraction such as 0.05, at most 100%'],
  badOp: (value: string): Message => badValue([`unknown op "${value}"`, didYouMean(value, ['generate', 'preload', 'unload'])]),
  unitlessKeepAlive: (value: string): Message => [
    `"${value}" has no unit; Ollama would answer 400 "missing unit in duration"`,
    `write ${value.trim()} as a number or "${value.trim()}s"`,
  ],
  badKeepAlive: (value: string): Message => [`${value} is not a keep_alive Ollama accepts`, 'a number of seconds, or a Go duration such as "5m" or "-1m"'],
  outOfOrder: (at: number, previous: number): Message => [`arrivals out of order: ${at} after ${previous}`, 'sort the trace by its arrival time'],
  noWorkload: (): Message => ['give one of trace, requests, sources or synthetic'],
  bothWorkloads: (): Message => ['give only one of trace, requests, sources or synthetic'],
  duplicateCandidate: (name: string): Message => [`candidate name "${name}" is used twice`, 'each candidate needs its own name'],
  emptyName: (): Message => ['candidate name is empty'],
  missingColumn: (column: string): Message => [`the header has no "${column}" column`, 'a trace needs at least at,model,duration'],
  unknownColumn: (column: string, allowed: readonly string[]): Message => [`unknown column "${column}"`, didYouMean(column, allowed)],
  csvSyntax: (detail: string): Message => [`CSV error: ${detail}`],
  durationRequired: (): Message => badValue(['missing (required for generate requests)']),
  warmDuplicate: (name: string): Message => [`model "${name}" is listed twice`],
  noGpus: (): Message => ['missing (required)', 'give gpus: [ { vram: 24GiB } ], gpu: rtx-4090 (with count), or gpus: [] for a CPU-only host'],
  countWithoutGpu: (): Message => ['a count of GPUs needs a GPU to repeat', 'give gpu: NAME, gpus: [ { vram: 24GiB } ] or vram: 24GiB with it'],
  unsupportedVersion: (value: string, nearest: string, number: boolean): Message => [
    number ? `${value} is a number (YAML drops trailing zeros), not an Ollama version` : `"${value}" is not a supported Ollama release`,
    `nearest supported: ${nearest}; quote a release tag from v0.2.0 to v0.32.15, e.g. "0.6.8"; release candidates and v0.1.x are not modelled`,
  ],
  unknownCatalogue: (kind: string, name: string, known: readonly string[]): Message => [`unknown ${kind} "${name}"`, didYouMean(name, known)],
  badPriceBasis: (value: string): Message => [`unknown price basis "${value}"`, 'hour (rent by the hour) or buy (own: purchase over --months plus power)'],
  onlyWhenBuying: (flag: string): Message => [`${flag} prices a bought fleet`, 'add --price buy'],
  configWithoutMaxRate: (): Message => ['--config names the configuration --max-rate tests', 'add --max-rate'],
  noTokenRates: (model: string): Message => [
    `a request for "${model}" is given as tokens but the model has no token rates`,
    `give models.${model}.prefill_tps and decode_tps, or a duration per request`,
  ],
  noTokenRatesOnHost: (model: string): Message => [
    `requests for "${model}" are given as tokens, but on this host the model has no token rates`,
    `name a catalogue GPU (gpu: rtx-4090), not only its memory, or give models.${model}.prefill_tps and decode_tps`,
  ],
  notTokenCount: (value: string): Message => badValue([`"${value}" is not a whole number of tokens`]),
  negativeTokens: (value: string): Message => badValue([`${value} tokens is negative`, 'token counts must be ≥ 0']),
  unknownFormat: (value: string, known: readonly string[]): Message => [`unknown trace format "${value}"`, didYouMean(value, known)],
  unknownOutputFormat: (value: string): Message => [`unknown output format "${value}"`, 'csv (the default) or parquet'],
  badTime: (value: string, unit: string): Message => badValue([
    `"${value}" is not a time in ${unit === 'iso' ? 'ISO-8601' : unit === 'ms' ? 'milliseconds' : 'seconds'}`,
    unit === 'iso' ? 'e.g. 2023-11-16 18:17:03.98 or 2023-11-16T18:17:03Z; set time: s or ms for numbers' : 'a number; set time: iso for dates',
  ]),
  unmappedModel: (value: string, mapped: readonly string[]): Message => [`trace model "${value}" is not mapped to a scenario model`, mapped.length ? `add it to models: (mapped: ${mapped.join(', ')})` : 'add models: { TRACE_VALUE: SCENARIO_MODEL }, or model: for the whole trace'],
  sourceOutOfOrder: (at: number, previous: number): Message => [`arrivals out of order: ${at} after ${previous}`, 'sort the file by time, or set sort: true on this source (--sort on the command line)'],
  oneModelMapping: (): Message => ['give exactly one of model, models or split'],
  needsModelMapping: (format: string): Message => [`${format} traces name no model`, 'give model: NAME (or split: { models: [...] })'],
  badJson: (detail: string): Message => [`JSON error: ${detail}`],
  whereColumn: (column: string, header: readonly string[]): Message => [`where: the header has no "${column}" column`, didYouMean(column, header)],
  notPositive: (value: string): Message => [`${value} must be greater than 0`],
  /** A client timeout of 0 would give up before sending; "no timeout" is an empty cell or a missing field. */
  zeroTimeout: (value: string): Message => badValue([`${value} must be greater than 0`, 'leave timeout out for a client that waits forever']),
  badWindow: (): Message => ['window end is not after its start'],
  badAxis: (key: string, problem: string, near?: string | null): Message => [`cannot sweep ${key}: ${problem}`, near ? `did you mean ${near}?` : 'an axis is a path a candidate may override, e.g. OLLAMA_KEEP_ALIVE, models.NAME.keep_alive, host.count; README: What an axis may set'],
  gridFallback: (value: string, problem: string): Message => [problem, `on the command line "${value}" is a typo, not a what-if: write a value Ollama accepts`],
  badPriceOf: (arg: string): Message => [`"${arg}" is not GPU=PRICE`, 'e.g. --price-of rtx-4090=1.2: dollars per hour, or to buy with --price buy'],
  badGridArg: (arg: string): Message => [`"${arg}" is not KEY=v1,v2,…`, 'e.g. --grid OLLAMA_KEEP_ALIVE=0,5m,-1'],
  badRate: (value: string): Message => [`"${value}" is not a rate`, 'write requests per unit of time, e.g. 120/h, 2/s, 30/m, 1000/d'],
  badProfile: (): Message => ['a daily profile needs 24 values ≥ 0, not all 0', 'one value per hour of the day, from 00:00'],
  whatIfNeedsOut: (): Message => ['the what-if page is written beside the report', 'add --out DIR'],
  whatIfTooLarge: (requests: number, max: number): Message => [`${requests.toLocaleString('en')} requests are too many to rerun live in a page (at most ${max.toLocaleString('en')})`, 'narrow the trace with window: on its source, or thin it with rate_scale: 0.1'],
  queueUrl: (url: string): Message => [`"${url}" is not a Redis URL`, 'e.g. redis://127.0.0.1:6379, redis://:PASSWORD@host:6379/0 or rediss://host:6380 (TLS)'],
  queueUnreachable: (url: string, reason: string): Message => [`cannot reach Redis at ${url} (${reason})`, 'start redis-server there, or check the host, port and password'],
  noSuchGpu: (gpu: number, count: number): Message => [`GPU ${gpu} does not exist`, count ? `the host has ${count} GPU${count > 1 ? 's' : ''}, numbered from 0` : 'the host has no GPU'],
  numGpuNeedsLayers: (): Message => ['num_gpu above 0 needs the model\'s layer count', 'add layers: N (its block count) to this model, or use a catalogue tag'],
  reservedTooLarge: (value: string): Message => [`${value} is more than the GPU's memory`],
  notARecording: (): Message => ['not a recording', 'a folder written by ollamasim record (or logs import): requests.jsonl, observed.json, trace.csv'],
  notARecordedRequest: (): Message => ['not a recorded request', 'each line of requests.jsonl is one JSON object with at, end and response'],
  badTolerance: (value: string): Message => [`"${value}" is not a tolerance`, 'a share, e.g. 10% or 0.1'],
  notInCatalogue: (name: string, known: readonly string[]): Message => {
    const n = nearest(name, known);
    return [`"${name}" is not in the model catalogue, so it needs vram and load`, n ? `did you mean ${n}? or give vram and load` : 'give vram and load, or a catalogue tag (ollamasim models)'];
  },
  badListen: (value: string): Message => [`"${value}" is not HOST:PORT`, 'e.g. --listen 127.0.0.1:11434'],
  badUpstream: (value: string): Message => [`"${value}" is not an http:// URL`, 'e.g. --upstream http://127.0.0.1:11434'],
  badJitter: (value: string): Message => [`"${value}" is not a share between 0 and 100 %`, 'e.g. --jitter 5%'],
  unknownCandidate: (name: string, known: readonly string[]): Message => [`no candidate named "${name}"`, didYouMean(name, known)],
  cannotListen: (address: string, reason: string): Message => [`cannot listen on ${address}`, reason],
  noSuchLog: (): Message => ['no such file', 'capture the log first: journalctl -u ollama --no-pager > server.log, or use ~/.ollama/logs/server.log'],
  logIsDirectory: (): Message => ['is a directory', 'give the log file itself, e.g. ~/.ollama/logs/server.log'],
  emptyLog: (): Message => ['the file is empty', 'capture the log with journalctl -u ollama --no-pager > server.log (set OLLAMA_DEBUG=1 on the server for DEBUG lines)'],
  notServerLog: (lines: number): Message => [`none of its ${lines} lines is an Ollama server line (time=… level=… msg=…, or [GIN] …)`, 'give the output of journalctl -u ollama or ~/.ollama/logs/server.log'],
} as const;

/**
 * Non-fatal findings (ResolvedScenario.warnings), one line each. They do not
 * stop a run: each says what Ollama itself would do with the value.
 */
export const warn = {
  /** `first` is FILE:LINE of the first such request. */
  rejectedKeepAlive: (count: number, first: string): string =>
    `${count} ${count === 1 ? 'request carries' : 'requests carry'} a keep_alive Ollama rejects (400): e.g. ${first}`,
  serverEnv: (file: string, candidate: string, env: string, detail: string): string => `${file}: candidate "${candidate}": ${env}: ${detail}`,
  smallMaxQueue: (file: string, candidate: string, value: number): string =>
    `${file}: candidate "${candidate}": OLLAMA_MAX_QUEUE ${value} is below 2, which also shrinks Ollama's internal channels; a real server may stall (spec §9.4)`,
  emptyWorkload: (file: string): string => `${file}: the workload has no requests`,
  skippedRows: (file: string, count: number, lines: readonly number[], first: string): string =>
    `${file}: bad_rows: skip left out ${count} ${count === 1 ? 'row' : 'rows'} with a missing or unparseable field: line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}${count > lines.length ? ', …' : ''} (line ${lines[0]}: ${first})`,
  durationsOnAnyGpu: (file: string): string =>
    `${file}: the candidates differ in GPU type, but this trace gives its requests as durations measured on unknown hardware, so for it the GPU type changes only memory and load times (give workload.measured_on: GPU to scale them, or prompt_tokens and output_tokens)`,
  axisNotModelled: (file: string, key: string, why: string): string => `${file}: sweeping ${key}: ${why}, so every cell shows the same figures for it`,
  overRam: (file: string, candidate: string, peakGiB: number, ramGiB: number): string =>
    `${file}: candidate "${candidate}": runners held ${peakGiB.toFixed(1)} GiB on the CPU, more than the host's ${ramGiB.toFixed(1)} GiB of RAM; Ollama does not check (spec §5.2c), a real host would swap or kill the runner`,
  serveOneServer: (file: string): string => `${file}: serve answers as one Ollama server: the scenario's fleet, client retries and synthetic users are not used (the HTTP clients are the workload)`,
} as const;
