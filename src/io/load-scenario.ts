import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { InputError, msg, warn } from '../diag/index.js';
import { REQUEST_FIELDS, RequestRows, type ModelRates } from '../config/request-rows.js';
import { Resolver } from '../config/resolve.js';
import type { ScenarioFile } from '../config/schema.js';
import type { ResolvedScenario, ResolvedUsers } from '../config/types.js';
import { validateShape } from '../config/validate.js';
import { resolveSources } from '../config/sources.js';
import { synthesizeWorkload } from '../config/synthetic.js';
import { resolveUsers } from '../config/users.js';
import { tokenRates } from '../config/hardware.js';
import type { ResolvedCandidate } from '../config/types.js';
import type { Trace } from '../workload/trace.js';
import { readSources } from './read-sources.js';
import { readTraceCsv } from './read-trace.js';
import { YamlSource } from '../config/yaml-source.js';
import { expandSweep } from '../config/sweep.js';
import { fromCommandLine } from '../config/grid-check.js';
import { axisPath, NOT_MODELLED } from '../config/sweepable.js';
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
}

export async function loadScenario(file: string, opts: LoadOptions = {}): Promise<ResolvedScenario> {
  const src = new YamlSource(file, readText(file));
  const raw = src.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw src.error([], msg.notAnObject());
  let shape = expandSweep(src, validateShape(src, raw), opts.axes ?? []);
  if (opts.seed !== undefined) shape = { ...shape, seed: opts.seed };
  const resolver = new Resolver(src, shape);
  const warnings: string[] = [];
  const candidates = fromGrid(opts.axes, () => resolver.candidates(warnings));
  // The trace is parsed once, hardware-free: token-sized requests keep their counts, and
  // each candidate's world works out their service times (src/sim/world.ts).
  const { trace, users, rejected } = await readWorkload(src, shape, resolver, parseRates(resolver.base(), candidates));
  checkTokenRates(src, shape, candidates, trace, users);
  if (rejected.count > 0) warnings.push(warn.rejectedKeepAlive(rejected.count, rejected.first ?? file));
  if (trace.length === 0 && !users) warnings.push(warn.emptyWorkload(file));
  for (const key of [...Object.keys(shape.sweep ?? {}), ...(opts.axes ?? []).map((a) => a.key)]) {
    const why = NOT_MODELLED[axisPath(key)];
    if (why) warnings.push(warn.axisNotModelled(file, key, why));
  }
  if (gpuTypeIgnored(candidates, trace, users, resolver.measuredOn())) warnings.push(warn.durationsOnAnyGpu(file));
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

/**
 * Rates for the trace's duration column (what `trace stats` shows): the scenario's
 * own host. A model rated only on some candidate's host is not an error here.
 */
function parseRates(base: ResolvedCandidate, candidates: readonly ResolvedCandidate[]): ModelRates[] {
  return base.models.map((m, i) => {
    const r = tokenRates(m, base.host);
    if (r) return { prefillTps: r.prefill, decodeTps: r.decode };
    return { prefillTps: NaN, decodeTps: NaN, ratedElsewhere: candidates.some((c) => tokenRates(c.models[i]!, c.host) !== null) };
  });
}

/** Every candidate must know the rates of the models that get token-sized requests: else one line at its host. */
function checkTokenRates(src: YamlSource, shape: ScenarioFile, candidates: readonly ResolvedCandidate[], trace: Trace, users: ResolvedUsers | undefined): void {
  const tokens = new Set<number>();
  if (trace.fromTokens) for (let i = 0; i < trace.length; i++) if (trace.fromTokens[i] === 1) tokens.add(trace.model[i]!);
  if (users && !users.duration) for (const m of users.models) tokens.add(m);
  if (tokens.size === 0) return;
  candidates.forEach((c, ci) => {
    for (const m of tokens) {
      if (tokenRates(c.models[m]!, c.host)) continue;
      const own = shape.candidates?.[ci]?.host !== undefined;
      throw src.error(own ? ['candidates', ci, 'host'] : ['host'], msg.noTokenRatesOnHost(c.models[m]!.name));
    }
  });
}

/**
 * True when the candidates differ in GPU type (or CPU) but some requests are given
 * as durations measured on unknown hardware: for those, the GPU type cannot change
 * the answer time, and the user should know the comparison leaves it out.
 */
function gpuTypeIgnored(candidates: readonly ResolvedCandidate[], trace: Trace, users: ResolvedUsers | undefined, measuredOn: string | null): boolean {
  if (measuredOn) return false;
  const kinds = new Set(candidates.map((c) => (c.host.gpus.length === 0 ? 'cpu' : c.host.gpuIds[0] ?? 'unknown')));
  if (kinds.size < 2) return false;
  if (users?.duration) return true;
  for (let i = 0; i < trace.length; i++) if (trace.fromTokens?.[i] !== 1 && trace.duration[i]! > 0) return true;
  return false;
}

/** Resolver errors about a value a `--grid` axis set are reported on the command line. */
function fromGrid<T>(axes: readonly Axis[] | undefined, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof InputError && axes?.length ? fromCommandLine(e, axes) : e;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const [problem, hint] = msg.cannotRead((e as NodeJS.ErrnoException).code ?? String(e));
    throw new InputError({ file, line: 1, field: '(file)', problem, hint });
  }
}

interface Workload {
  trace: Trace;
  users?: ResolvedUsers;
  /** Requests whose keep_alive Ollama answers with 400 (not an input error), and where the first is. */
  rejected: { count: number; first: string | null };
}

/** Exactly one of workload.trace, requests, sources or synthetic. */
async function readWorkload(src: YamlSource, shape: ScenarioFile, resolver: Resolver, rates: ModelRates[]): Promise<Workload> {
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
    const built = synthesizeWorkload(src, synthetic, resolver.modelNames, rates, shape.seed ?? 1, duration);
    return { trace: built, ...(users ? { users } : {}), rejected: none };
  }
  if (sources !== undefined) {
    const resolved = resolveSources(src, sources, resolver.modelNames, near, duration);
    const read = await readSources(resolved.specs, resolved.columns, resolver.modelNames, rates, shape.seed ?? 1);
    return { trace: read.trace, rejected: { count: read.invalidKeepAlive, first: read.firstInvalid } };
  }
  const rows = new RequestRows(resolver.modelNames, rates);
  if (trace !== undefined) await readTraceCsv(near(trace), rows);
  else addInlineRequests(src, requests ?? [], rows);
  return { trace: rows.build(), rejected: { count: rows.invalidKeepAlive, first: rows.firstInvalid } };
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
