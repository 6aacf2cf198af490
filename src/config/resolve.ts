import { msg, warn } from '../diag/index.js';
import type { Path, YamlSource } from './yaml-source.js';
import { HOUR } from '../engine/index.js';
import { INVALID, parseRequestKeepAlive } from '../ollama/keep-alive.js';
import { parseServerEnv } from '../ollama/envconfig.js';
import { CURRENT_VERSION, envForVersion, envReadFrom, parseVersion } from '../ollama/versions.js';
import { checkReserveGpus, resolveFaults, resolveRetry } from './faults.js';
import { deepMerge } from './merge.js';
import { architecture, CATALOGUE_MODEL_TAGS, catalogueModel, type HostPath, mergeHost, resolveHost } from './hardware.js';
import type { CandidateFile, ModelFile, ScenarioFile, WarmFile } from './schema.js';
import { GPUS } from '../hardware/gpus.js';
import type { ResolvedCandidate, ResolvedHost, ResolvedModel, ResolvedWarm } from './types.js';
import { parseDuration, parseSize } from './units.js';
import { MAX_SECONDS, RANGES } from './ranges.js';

/**
 * Scenario values → resolved units, per candidate. Every value is checked at
 * the path where the user wrote it (the base scenario, or the candidate that
 * overrides it), so errors point at the right line.
 */
export class Resolver {
  constructor(private readonly src: YamlSource, private readonly file: ScenarioFile) {}

  get modelNames(): string[] {
    return Object.keys(this.file.models);
  }

  name(): string {
    return this.file.name ?? fileStem(this.src.file);
  }

  horizon(): number {
    return this.file.horizon === undefined ? 24 * HOUR : this.duration(this.file.horizon, ['horizon']);
  }

  size(v: unknown, path: Path): number {
    const bytes = parseSize(v);
    if (bytes !== null && bytes > RANGES.bytes.max) throw this.src.error(path, msg.outOfRange(String(v), RANGES.bytes.text));
    if (bytes !== null) return bytes;
    const bare = typeof v === 'number' || (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v));
    throw this.src.error(path, bare ? msg.sizeNoUnit(String(v).trim()) : msg.badSize(String(v)));
  }

  duration(v: unknown, path: Path): number {
    const us = parseDuration(v);
    if (us === null) throw this.src.error(path, msg.badDuration(String(v)));
    if (us < 0) throw this.src.error(path, msg.negative(String(v)));
    if (us > MAX_SECONDS * 1e6) throw this.src.error(path, msg.outOfRange(String(v), RANGES.seconds.text));
    return us;
  }

  /** keep_alive written in the scenario (per model, warm): request semantics, but a 400 value is a mistake here. */
  keepAlive(v: unknown, path: Path): number {
    if (v === undefined || v === null) return NaN;
    const ka = parseRequestKeepAlive(v);
    if (ka === INVALID) {
      throw this.src.error(path, typeof v === 'string' && /^[+-]?\d+(\.\d*)?$/.test(v.trim()) ? msg.unitlessKeepAlive(v) : msg.badKeepAlive(JSON.stringify(v)));
    }
    return ka;
  }

  private positiveInt(v: number | undefined, path: Path): number {
    if (v === undefined) return 0;
    if (!Number.isInteger(v) || v <= 0) throw this.src.error(path, msg.notPositiveInt(String(v)));
    return v;
  }

  /** A model entry's fields, resolved; `at` says where each was written (the scenario, or a candidate). */
  private modelFields(m: Partial<ModelFile>, at: (field: keyof ModelFile) => Path): Partial<ResolvedModel> {
    const out: Partial<ResolvedModel> = {};
    if (m.vram !== undefined) out.vram = this.size(m.vram, at('vram'));
    if (m.p !== undefined) out.p = m.p === 'auto' ? NaN : this.size(m.p, at('p'));
    if (m.load !== undefined) out.load = this.duration(m.load, at('load'));
    if ('keep_alive' in m) out.keepAlive = this.keepAlive(m.keep_alive, at('keep_alive'));
    if (m.key !== undefined) out.key = m.key;
    if (m.load_fails_after !== undefined) out.loadFailsAfter = this.duration(m.load_fails_after, at('load_fails_after'));
    if (m.num_ctx !== undefined) out.numCtx = this.positiveInt(m.num_ctx, at('num_ctx'));
    if (m.n_ctx_train !== undefined) out.nCtxTrain = this.positiveInt(m.n_ctx_train, at('n_ctx_train'));
    for (const [f, key] of [['prefill_tps', 'prefillTps'], ['decode_tps', 'decodeTps']] as const) {
      const v = m[f];
      if (v === undefined) continue;
      if (!(v > 0 && Number.isFinite(v))) throw this.src.error(at(f), msg.notPositive(String(v)));
      out[key] = v;
    }
    if (m.num_gpu !== undefined) {
      if (!Number.isInteger(m.num_gpu) || m.num_gpu < -1) throw this.src.error(at('num_gpu'), msg.notPositiveInt(String(m.num_gpu)));
      out.numGpu = m.num_gpu;
    }
    if (m.layers !== undefined) out.layers = m.layers;
    if (m.family !== undefined) out.family = m.family;
    if (m.vision !== undefined) out.vision = m.vision;
    return out;
  }

  /**
   * A model is either in the catalogue (by name or `tag`: Ollama's memory
   * estimate, load time from the host's storage) or fully described by the
   * scenario (`vram` and `load`); given values always win. A candidate's entry
   * is merged into the scenario's field by field (`over`, written at
   * `candidatePath`), and each value is checked at the line where it was written.
   */
  private model(name: string, over?: Partial<ModelFile>, candidatePath?: Path): ResolvedModel {
    const m = deepMerge(this.file.models[name]!, over) as ModelFile;
    const at = (f: keyof ModelFile): Path => (over?.[f] !== undefined && candidatePath ? [...candidatePath, 'models', name, f] : ['models', name, f]);
    const f = this.modelFields(m, at);
    const spec = catalogueModel(m.tag ?? name);
    if (m.tag !== undefined && !spec) throw this.src.error(at('tag'), msg.unknownCatalogue('model tag', m.tag, CATALOGUE_MODEL_TAGS));
    if (!spec && f.vram === undefined) throw this.src.error(['models', name], msg.notInCatalogue(name, CATALOGUE_MODEL_TAGS), true);
    if (!spec && f.load === undefined) throw this.src.error(['models', name, 'load'], msg.missing());
    // num_gpu > 0 is compared with the layer count (explicitPartialGPUOffload): a model given by size must say it.
    if ((f.numGpu ?? -1) > 0 && !spec && !f.layers) throw this.src.error(at('num_gpu'), msg.numGpuNeedsLayers());
    return {
      // vram given: it is P and the actual VRAM (the core contract); `p: auto` asks for Ollama's estimate.
      name, vram: f.vram ?? NaN, p: f.p ?? f.vram ?? NaN, arch: spec ? architecture(spec) : null, tag: spec?.tag ?? null,
      load: f.load ?? NaN, keepAlive: f.keepAlive ?? NaN, key: f.key ?? name,
      loadFailsAfter: f.loadFailsAfter ?? Infinity, numCtx: f.numCtx ?? 0, nCtxTrain: f.nCtxTrain ?? spec?.ctxTrain ?? 0,
      numGpu: f.numGpu ?? -1, layers: f.layers, family: f.family, vision: f.vision,
      ...(f.prefillTps !== undefined ? { prefillTps: f.prefillTps } : {}), ...(f.decodeTps !== undefined ? { decodeTps: f.decodeTps } : {}),
    };
  }

  /** The scenario's host, or a candidate's merged into it (mergeHost). */
  host(over?: Partial<ScenarioFile['host']>, candidatePath?: Path): ResolvedHost {
    const merged = mergeHost(this.file.host, over);
    const at: HostPath = (...field) => (over && candidatePath && (over as Record<string, unknown>)[field[0] as string] !== undefined
      ? [...candidatePath, 'host', ...field] : ['host', ...field]);
    return resolveHost(this.src, merged, at, (v, p) => this.size(v, p), (v, p) => this.duration(v, p));
  }

  warm(list: WarmFile | undefined, path: Path): ResolvedWarm[] {
    const names = this.modelNames;
    const seen = new Set<string>();
    return (list ?? []).map((entry, i) => {
      const model = typeof entry === 'string' ? entry : entry.model;
      const at: Path = typeof entry === 'string' ? [...path, i] : [...path, i, 'model'];
      const index = names.indexOf(model);
      if (index < 0) throw this.src.error(at, msg.unknownModel(model, names));
      if (seen.has(model)) throw this.src.error(at, msg.warmDuplicate(model));
      seen.add(model);
      const keepAlive = typeof entry === 'string' ? NaN : this.keepAlive(entry.keep_alive, [...path, i, 'keep_alive']);
      return { model: index, keepAlive };
    });
  }

  /** Models resident at t = 0 in the base scenario (before any candidate replaces the list). */
  baseWarm(): ResolvedWarm[] {
    return this.warm(this.file.warm, ['warm']);
  }

  private rateScale(k: number | undefined, path: Path): number {
    if (k === undefined) return 1;
    if (!(k > 0 && Number.isFinite(k))) throw this.src.error(path, msg.notPositive(String(k)));
    return k;
  }

  /** The scenario's fleet with a candidate's fields merged in (a router alone keeps the hosts, and vice versa). */
  private fleet(c: CandidateFile, path: Path): Pick<ResolvedCandidate, 'fleet'> {
    const f = deepMerge(this.file.fleet, c.fleet) as Partial<NonNullable<ScenarioFile['fleet']>> | undefined;
    if (!f) return {};
    const at = (k: string): Path => (c.fleet && (c.fleet as Record<string, unknown>)[k] !== undefined ? [...path, 'fleet', k] : ['fleet', k]);
    const hosts = f.hosts ?? 1;
    if (!Number.isInteger(hosts) || hosts < 1) throw this.src.error(at('hosts'), msg.notPositiveInt(String(hosts)));
    return hosts > 1 ? { fleet: { hosts, router: f.router ?? 'least-outstanding' } } : {};
  }

  /** The scenario's retry policy with a candidate's fields merged in; `retry: null` turns it off. */
  private retry(c: CandidateFile, path: Path, dur: (v: unknown, p: Path) => number): ResolvedCandidate['retry'] {
    if (c.retry === null) return null;
    if (c.retry === undefined) return resolveRetry(this.src, this.file.retry, ['retry'], dur);
    const over = c.retry;
    const merged = { ...this.file.retry, ...over };
    const at = (k: 'attempts' | 'backoff'): Path => (over[k] !== undefined ? [...path, 'retry', k] : this.file.retry ? ['retry', k] : [...path, 'retry']);
    if (merged.attempts === undefined || merged.backoff === undefined) throw this.src.error([...path, 'retry', merged.attempts === undefined ? 'attempts' : 'backoff'], msg.missing());
    if (!Number.isInteger(merged.attempts) || merged.attempts < 1) throw this.src.error(at('attempts'), msg.notPositiveInt(String(merged.attempts)));
    return { attempts: merged.attempts, backoff: dur(merged.backoff, at('backoff')) };
  }

  /** The candidates, each the base scenario with its overrides merged in (deep merge; lists replace whole). */
  candidates(warnings: string[]): ResolvedCandidate[] {
    const list: CandidateFile[] = this.file.candidates?.length ? this.file.candidates : [{ name: this.name() }];
    const seen = new Set<string>();
    const warned = new Set<string>();
    return list.map((c, i) => {
      const path: Path = ['candidates', i];
      if (c.name.trim() === '') throw this.src.error([...path, 'name'], msg.emptyName());
      if (seen.has(c.name)) throw this.src.error([...path, 'name'], msg.duplicateCandidate(c.name));
      seen.add(c.name);
      return this.candidate(c, path, (server, version) => this.checkServer(server, c.name, warned, warnings, version));
    });
  }

  /** The scenario as written, with no candidate's overrides (what a trace's own durations are worked out for). */
  base(): ResolvedCandidate {
    return this.candidate({ name: this.name() }, ['candidates', 0], () => {});
  }

  /**
   * One candidate: every section merged into the scenario's (server, host, models.X,
   * fleet, policy, retry field by field; warm and faults replaced whole), then resolved.
   */
  private candidate(c: CandidateFile, path: Path, checkServer: (server: Record<string, string | number | boolean>, version: string) => void): ResolvedCandidate {
    const dur = (v: unknown, p: Path) => this.duration(v, p);
    const size = (v: unknown, p: Path) => this.size(v, p);
    for (const name of Object.keys(c.models ?? {})) {
      if (!this.modelNames.includes(name)) throw this.src.error([...path, 'models', name], msg.unknownModel(name, this.modelNames), true);
    }
    const server = { ...this.file.server, ...c.server } as Record<string, string | number | boolean>;
    const version = this.version(server.version, c.server?.version !== undefined ? [...path, 'server', 'version'] : ['server', 'version']);
    checkServer(server, version);
    const resolved: ResolvedCandidate = {
      name: c.name,
      server,
      host: this.host(c.host, path),
      models: this.modelNames.map((name) => this.model(name, c.models?.[name], path)),
      warm: c.warm ? this.warm(c.warm, [...path, 'warm']) : this.baseWarm(),
      ...(c.faults ? resolveFaults(this.src, c.faults, [...path, 'faults'], this.modelNames, dur, size) : resolveFaults(this.src, this.file.faults, ['faults'], this.modelNames, dur, size)),
      retry: this.retry(c, path, dur),
      eviction: c.policy?.eviction ?? this.file.policy?.eviction ?? 'ollama',
      version,
      rateScale: this.rateScale(c.rate_scale ?? this.file.rate_scale, c.rate_scale !== undefined ? [...path, 'rate_scale'] : ['rate_scale']),
      ...this.fleet(c, path),
      raw: this.merged(c),
    };
    checkReserveGpus(this.src, resolved, c.faults ? [...path, 'faults'] : ['faults']);
    return resolved;
  }

  /** workload.measured_on: a catalogue GPU or `cpu`. */
  measuredOn(): string | null {
    const id = this.file.workload.measured_on;
    if (id === undefined) return null;
    const known = [...GPUS.map((g) => g.id), 'cpu'];
    if (!known.includes(id)) throw this.src.error(['workload', 'measured_on'], msg.unknownCatalogue('GPU', id, known));
    return id;
  }

  /**
   * Invalid OLLAMA_* values are not errors (Ollama silently falls back to its
   * default, and so does the run), but the user should learn their setting had
   * no effect. A value inherited by every candidate is reported once.
   */
  private checkServer(server: Record<string, string | number | boolean>, candidate: string, warned: Set<string>, warnings: string[], version: string): void {
    for (const name of Object.keys(server)) {
      const since = envReadFrom(version, name);
      if (since !== null) warnings.push(warn.serverEnv(this.src.file, candidate, name, `Ollama ${version} does not read it (from v${since}); the run ignores it`));
    }
    const env = parseServerEnv(envForVersion(version, server), (name, m) => {
      if (warned.has(name + m)) return;
      warned.add(name + m);
      warnings.push(warn.serverEnv(this.src.file, candidate, name, m));
    });
    // The parsed value, so "1", 1 and '"1"' all count, and an invalid value (→ 512) does not.
    if (env.maxQueue < 2) warnings.push(warn.smallMaxQueue(this.src.file, candidate, env.maxQueue));
  }

  /** `server.version`: a bundled release tag, else exit 2 naming the nearest one (src/ollama/versions.ts). */
  private version(v: unknown, path: Path): string {
    if (v === undefined) return CURRENT_VERSION;
    const parsed = parseVersion(v);
    if (parsed.ok) return parsed.version;
    throw this.src.error(path, msg.unsupportedVersion(String(v), parsed.nearest, typeof v === 'number'));
  }

  /** The candidate as the user wrote it, on top of the base scenario: what reports show as its settings. */
  private merged(c: CandidateFile): unknown {
    const { server, host, models, warm, faults, retry, fleet, policy } = this.file;
    const merged = deepMerge({ server: server ?? {}, models, warm: warm ?? [], faults: faults ?? [], retry: retry ?? null, ...(fleet ? { fleet } : {}), ...(policy ? { policy } : {}) }, { ...c, host: undefined }) as Record<string, unknown>;
    return { ...merged, host: mergeHost(host, c.host) };
  }
}

/** "dir/default.yaml" → "default" (no node:path: the resolver also runs in a browser). */
function fileStem(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
