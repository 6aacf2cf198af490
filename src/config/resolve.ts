import { basename, extname } from 'node:path';
import { msg, warn } from '../diag/index.js';
import type { Path, YamlSource } from './yaml-source.js';
import { HOUR } from '../engine/index.js';
import { INVALID, parseRequestKeepAlive } from '../ollama/keep-alive.js';
import { parseServerEnv } from '../ollama/envconfig.js';
import { CURRENT_VERSION, envForVersion, envReadFrom, parseVersion } from '../ollama/versions.js';
import { checkReserveGpus, resolveFaults, resolveRetry } from './faults.js';
import { deepMerge } from './merge.js';
import { architecture, CATALOGUE_MODEL_TAGS, catalogueModel, resolveHost } from './hardware.js';
import type { CandidateFile, ModelFile, ScenarioFile, WarmFile } from './schema.js';
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
    return this.file.name ?? basename(this.src.file, extname(this.src.file));
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

  /** The fields a model entry sets, resolved (a candidate may set only some). */
  modelFields(m: Partial<ModelFile>, path: Path): Partial<ResolvedModel> {
    const out: Partial<ResolvedModel> = {};
    if (m.vram !== undefined) out.vram = this.size(m.vram, [...path, 'vram']);
    if (m.p !== undefined) out.p = m.p === 'auto' ? NaN : this.size(m.p, [...path, 'p']);
    if (m.load !== undefined) out.load = this.duration(m.load, [...path, 'load']);
    if ('keep_alive' in m) out.keepAlive = this.keepAlive(m.keep_alive, [...path, 'keep_alive']);
    if (m.key !== undefined) out.key = m.key;
    if (m.load_fails_after !== undefined) out.loadFailsAfter = this.duration(m.load_fails_after, [...path, 'load_fails_after']);
    if (m.num_ctx !== undefined) out.numCtx = this.positiveInt(m.num_ctx, [...path, 'num_ctx']);
    if (m.n_ctx_train !== undefined) out.nCtxTrain = this.positiveInt(m.n_ctx_train, [...path, 'n_ctx_train']);
    if (m.num_gpu !== undefined) {
      if (!Number.isInteger(m.num_gpu) || m.num_gpu < -1) throw this.src.error([...path, 'num_gpu'], msg.notPositiveInt(String(m.num_gpu)));
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
   * scenario (`vram` and `load`); given values always win.
   */
  baseModels(): ResolvedModel[] {
    return Object.entries(this.file.models).map(([name, m]) => {
      const path: Path = ['models', name];
      const f = this.modelFields(m, path);
      const spec = catalogueModel(m.tag ?? name);
      if (m.tag !== undefined && !spec) throw this.src.error([...path, 'tag'], msg.unknownCatalogue('model tag', m.tag, CATALOGUE_MODEL_TAGS));
      if (!spec && f.vram === undefined) throw this.src.error(path, msg.notInCatalogue(name, CATALOGUE_MODEL_TAGS), true);
      if (!spec && f.load === undefined) throw this.src.error([...path, 'load'], msg.missing());
      return {
        // vram given: it is P and the actual VRAM (the core contract); `p: auto` asks for Ollama's estimate.
        name, vram: f.vram ?? NaN, p: f.p ?? f.vram ?? NaN, arch: spec ? architecture(spec) : null, tag: spec?.tag ?? null,
        load: f.load ?? NaN, keepAlive: f.keepAlive ?? NaN, key: f.key ?? name,
        loadFailsAfter: f.loadFailsAfter ?? Infinity, numCtx: f.numCtx ?? 0, nCtxTrain: f.nCtxTrain ?? spec?.ctxTrain ?? 0,
        numGpu: f.numGpu ?? -1, layers: f.layers, family: f.family, vision: f.vision,
      };
    });
  }

  /** num_gpu > 0 is compared with the layer count (explicitPartialGPUOffload): a model given by size must say it. */
  private checkNumGpu(m: ResolvedModel, path: Path): void {
    if ((m.numGpu ?? -1) > 0 && !m.arch && !m.layers) throw this.src.error([...path, 'num_gpu'], msg.numGpuNeedsLayers());
  }

  host(h: Partial<ScenarioFile['host']>, path: Path, base?: ResolvedHost): ResolvedHost {
    return resolveHost(this.src, h, path, (v, p) => this.size(v, p), (v, p) => this.duration(v, p), base);
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

  private fleet(f: ScenarioFile['fleet'], path: Path): Pick<ResolvedCandidate, 'fleet'> {
    if (!f) return {};
    if (!Number.isInteger(f.hosts) || f.hosts < 1) throw this.src.error([...path, 'hosts'], msg.notPositiveInt(String(f.hosts)));
    return f.hosts > 1 ? { fleet: { hosts: f.hosts, router: f.router ?? 'least-outstanding' } } : {};
  }

  /** The candidates, each the base scenario with its overrides applied. */
  candidates(warnings: string[]): ResolvedCandidate[] {
    const baseModels = this.baseModels();
    const baseHost = this.host(this.file.host, ['host']);
    const baseWarm = this.baseWarm();
    const dur = (v: unknown, p: Path) => this.duration(v, p);
    const size = (v: unknown, p: Path) => this.size(v, p);
    const baseFaults = resolveFaults(this.src, this.file.faults, ['faults'], this.modelNames, dur, size);
    baseModels.forEach((m) => this.checkNumGpu(m, ['models', m.name]));
    const baseRetry = resolveRetry(this.src, this.file.retry, ['retry'], dur);
    const list: CandidateFile[] = this.file.candidates?.length ? this.file.candidates : [{ name: this.name() }];
    const seen = new Set<string>();
    const candidates: ResolvedCandidate[] = [];
    const warned = new Set<string>();
    list.forEach((c, i) => {
      const path: Path = ['candidates', i];
      if (c.name.trim() === '') throw this.src.error([...path, 'name'], msg.emptyName());
      if (seen.has(c.name)) throw this.src.error([...path, 'name'], msg.duplicateCandidate(c.name));
      seen.add(c.name);
      const models = baseModels.map((m) => ({ ...m }));
      for (const [name, override] of Object.entries(c.models ?? {})) {
        const index = this.modelNames.indexOf(name);
        if (index < 0) throw this.src.error([...path, 'models', name], msg.unknownModel(name, this.modelNames), true);
        Object.assign(models[index]!, this.modelFields(override, [...path, 'models', name]));
        this.checkNumGpu(models[index]!, [...path, 'models', name]);
        if (override.p === undefined && this.file.models[name]!.p === undefined) {
          models[index]!.p = models[index]!.vram; // no P written anywhere: vram is also P
        }
      }
      const server = { ...this.file.server, ...c.server } as Record<string, string | number | boolean>;
      const version = this.version(server.version, c.server?.version !== undefined ? [...path, 'server', 'version'] : ['server', 'version']);
      this.checkServer(server, c.name, warned, warnings, version);
      candidates.push({
        name: c.name,
        server,
        host: c.host ? this.host(c.host, [...path, 'host'], baseHost) : baseHost,
        models,
        warm: c.warm ? this.warm(c.warm, [...path, 'warm']) : baseWarm,
        ...(c.faults ? resolveFaults(this.src, c.faults, [...path, 'faults'], this.modelNames, dur, size) : baseFaults),
        retry: c.retry !== undefined ? resolveRetry(this.src, c.retry, [...path, 'retry'], dur) : baseRetry,
        eviction: c.policy?.eviction ?? this.file.policy?.eviction ?? 'ollama',
        version,
        rateScale: this.rateScale(c.rate_scale ?? this.file.rate_scale, c.rate_scale !== undefined ? [...path, 'rate_scale'] : ['rate_scale']),
        ...this.fleet(c.fleet ?? this.file.fleet, c.fleet ? [...path, 'fleet'] : ['fleet']),
        raw: this.merged(c),
      });
      checkReserveGpus(this.src, candidates.at(-1)!, c.faults ? [...path, 'faults'] : ['faults']);
    });
    return candidates;
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
    const { server, host, models, warm, faults, retry } = this.file;
    return deepMerge({ server: server ?? {}, host, models, warm: warm ?? [], faults: faults ?? [], retry: retry ?? null }, c);
  }
}
