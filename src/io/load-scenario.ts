import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileError, InputError, msg, warn } from '../diag/index.js';
import { REQUEST_FIELDS, RequestRows, type ModelRates } from '../config/request-rows.js';
import { Resolver } from '../config/resolve.js';
import type { ScenarioFile } from '../config/schema.js';
import type { ResolvedCandidate, ResolvedScenario, ResolvedUsers } from '../config/types.js';
import { MAX_REQUESTS } from '../config/ranges.js';
import { validateShape } from '../config/validate.js';
import { resolveSources } from '../config/sources.js';
import { synthesizeWorkload } from '../config/synthetic.js';
import { resolveUsers } from '../config/users.js';
import { checkTokenRates, parseRates, whatIfWarnings } from '../config/what-if-checks.js';
import type { Trace } from '../workload/trace.js';
import { readSources } from './read-sources.js';
import { readTraceCsv } from './read-trace.js';
import { YamlSource } from '../config/yaml-source.js';
import { expandSweep } from '../config/sweep.js';
import { fromAxis } from '../config/grid-check.js';
import type { Axis } from '../config/grid.js';

/**
 * Reads a scenario file (YAML or JSON) and everything it refers to, and
 * returns it resolved — or throws one InputError naming file, line and field.
 * Phases: read → parse (YAML with positions) → shape (zod) → units and
 * candidates → workload (inline requests, trace CSV, sources or synthetic).
 */
export interface LoadOptions {
  /** Sweep axes from the command line (--grid), after the scenario's own `sweep:`. */
  axes?: readonly Axis[];
  /** Another seed (replications): every random draw of the workload derives from it. */
  seed?: number;
  /** Requests one workload may make (default MAX_REQUESTS, 100 M; --max-requests). */
  maxRequests?: number;
  /**
   * Traces already read in this sweep (by file, models, rates and, for
   * sources, seed): a file is parsed once per process, and a worker thread
   * gets the parent's (their columns are shared memory).
   */
  traces?: TraceCache;
}

export type TraceCache = Map<string, Workload>;

export async function loadScenario(file: string, opts: LoadOptions = {}): Promise<ResolvedScenario> {
  const src = new YamlSource(file, readText(file));
  const raw = src.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw src.error([], msg.notAnObject());
  let shape = expandSweep(src, validateShape(src, raw), opts.axes ?? []);
  if (opts.seed !== undefined) shape = { ...shape, seed: opts.seed };
  const resolver = new Resolver(src, shape);
  const warnings: string[] = [];
  const candidates = atAxis(src, shape, opts.axes ?? [], () => resolver.candidates(warnings));
  // The trace is parsed once, hardware-free: token-sized requests keep their counts, and
  // each candidate's world works out their service times (src/sim/world.ts).
  const maxRequests = opts.maxRequests ?? MAX_REQUESTS;
  const { trace, users, rejected, warnings: skipped } = await readWorkload(src, shape, resolver, parseRates(resolver.base(), candidates), maxRequests, opts.traces);
  warnings.push(...(skipped ?? []));
  checkScaledSize(src, shape, candidates, trace.length, maxRequests);
  checkTokenRates(src, shape, candidates, trace, users);
  if (rejected.count > 0) warnings.push(warn.rejectedKeepAlive(rejected.count, rejected.first ?? file));
  if (trace.length === 0 && !users) warnings.push(warn.emptyWorkload(file));
  warnings.push(...whatIfWarnings(file, [...Object.keys(shape.sweep ?? {}), ...(opts.axes ?? []).map((a) => a.key)], candidates, trace, users, resolver.measuredOn()));
  return {
    file,
    name: resolver.name(),
    seed: shape.seed ?? 1,
    horizon: resolver.horizon(),
    warmup: shape.warmup !== undefined ? resolver.duration(shape.warmup, ['warmup']) : 0,
    modelNames: resolver.modelNames,
    candidates,
    warm: resolver.baseWarm(),
    trace,
    measuredOn: resolver.measuredOn(),
    ...(users ? { users } : {}),
    warnings,
  };
}

/** Resolver errors about a value a sweep axis set are reported where the axis was written. */
function atAxis<T>(src: YamlSource, shape: ScenarioFile, cli: readonly Axis[], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const file = Object.entries(shape.sweep ?? {}).map(([key, values]) => ({ key, values }));
    throw fromAxis(e, cli, file, (key, m) => src.error(['sweep', key], m, true));
  }
}

function readText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw fileError(file, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  if (text.trim() === '') throw fileError(file, 'EMPTY');
  return text;
}

export interface Workload {
  trace: Trace;
  users?: ResolvedUsers;
  /** Requests whose keep_alive Ollama answers with 400 (not an input error), and where the first is. */
  rejected: { count: number; first: string | null };
  /** Rows sources left out (bad_rows: skip). */
  warnings?: string[];
}

/** Exactly one of workload.trace, requests, sources or synthetic. */
async function readWorkload(src: YamlSource, shape: ScenarioFile, resolver: Resolver, rates: ModelRates[], maxRequests: number, cache?: TraceCache): Promise<Workload> {
  const { trace, requests, sources, synthetic } = shape.workload;
  const given = [trace, requests, sources, synthetic].filter((w) => w !== undefined).length;
  if (given > 1) throw src.error(['workload'], msg.bothWorkloads());
  if (given === 0) throw src.error(['workload'], msg.noWorkload());
  const duration = (v: unknown, p: readonly (string | number)[]) => resolver.duration(v, p);
  // Paths in the scenario are relative to the scenario file, not the working directory.
  const near = (f: string) => resolvePath(dirname(src.file), f);
  const none = { count: 0, first: null };
  if (synthetic !== undefined) {
    const length = synthetic.length !== undefined ? duration(synthetic.length, ['workload', 'synthetic', 'length']) : 86400e6;
    const users = synthetic.users ? resolveUsers(src, synthetic.users, resolver.modelNames, length) : undefined;
    const built = synthesizeWorkload(src, synthetic, resolver.modelNames, rates, shape.seed ?? 1, duration, maxRequests);
    return { trace: built, ...(users ? { users } : {}), rejected: none };
  }
  const once = async (key: string, read: () => Promise<Workload>) => {
    const k = `${key}\0${JSON.stringify([resolver.modelNames, rates, maxRequests])}`;
    const hit = cache?.get(k);
    if (hit) return hit;
    const w = await read();
    cache?.set(k, w);
    return w;
  };
  if (sources !== undefined) {
    const resolved = resolveSources(src, sources, resolver.modelNames, near, duration);
    // Sources draw from the seed (sampling, session splits): one entry per seed.
    return once(`sources\0${shape.seed ?? 1}\0${JSON.stringify(resolved)}`, async () => {
      const read = await readSources(resolved.specs, resolved.columns, resolver.modelNames, rates, shape.seed ?? 1, maxRequests);
      if (read.trace.length > maxRequests) throw src.error(['workload', 'sources'], msg.tooManyRequests(read.trace.length.toLocaleString('en-US'), maxRequests));
      return { trace: read.trace, rejected: { count: read.invalidKeepAlive, first: read.firstInvalid }, warnings: read.warnings };
    });
  }
  if (trace !== undefined) {
    return once(`trace\0${near(trace)}`, async () => {
      const rows = new RequestRows(resolver.modelNames, rates);
      rows.maxRows = maxRequests;
      await readTraceCsv(near(trace), rows);
      return { trace: rows.build(), rejected: { count: rows.invalidKeepAlive, first: rows.firstInvalid } };
    });
  }
  const rows = new RequestRows(resolver.modelNames, rates);
  rows.maxRows = maxRequests;
  addInlineRequests(src, requests ?? [], rows);
  return { trace: rows.build(), rejected: { count: rows.invalidKeepAlive, first: rows.firstInvalid } };
}

/** A candidate's rate_scale repeats requests: the scaled workload must stay within the limit too, checked before it is made. */
function checkScaledSize(src: YamlSource, shape: ScenarioFile, candidates: readonly ResolvedCandidate[], length: number, maxRequests: number): void {
  candidates.forEach((c, i) => {
    const would = Math.round(length * (c.rateScale ?? 1));
    if ((c.rateScale ?? 1) <= 1 || would <= maxRequests) return;
    const own = shape.candidates?.[i]?.rate_scale !== undefined;
    throw src.error(own ? ['candidates', i, 'rate_scale'] : ['rate_scale'], msg.tooManyRequests(`about ${would.toLocaleString('en-US')}`, maxRequests));
  });
}

/** workload.requests: each entry is checked like a CSV row, at its own YAML line. */
function addInlineRequests(src: YamlSource, requests: readonly Record<string, unknown>[], rows: RequestRows): void {
  requests.forEach((req, i) => {
    const path = ['workload', 'requests', i] as const;
    for (const key of Object.keys(req)) {
      if (!(REQUEST_FIELDS as readonly string[]).includes(key)) throw src.error([...path, key], msg.unknownKey(key, REQUEST_FIELDS), true);
    }
    rows.add(
      (f) => req[f],
      // A missing field is reported at the request's line; a bad one at its value.
      (field, m) => src.error([...path, ...(field in req ? [field] : [])], m),
      `${src.file}:${src.line(path)}`,
      false,
    );
  });
}
