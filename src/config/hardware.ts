import { msg } from '../diag/index.js';
import { GPUS, gpuById } from '../hardware/gpus.js';
import { MODELS, modelByTag, type ModelSpec } from '../hardware/models.js';
import { STORAGE, storageById } from '../hardware/storage.js';
import type { Path, YamlSource } from './yaml-source.js';
import type { ModelArchitecture } from '../ollama/predict-server-vram.js';
import type { ScenarioFile } from './schema.js';
import { cpuRates, ratesFor, type Rates } from '../hardware/throughput.js';
import { deepMerge } from './merge.js';
import type { ResolvedHost, ResolvedModel } from './types.js';

const GiB = 2 ** 30;
/** Defaults when the scenario does not say: PCIe 4.0 x16 (field-notes §5), NVMe, 64 GiB RAM, 1 s runner start (est.). */
export const HOST_DEFAULTS = { link: 25e9, storage: 'nvme', ram: 64 * GiB, runnerStart: 1e6, unload: 1e6 };

type HostFile = Partial<NonNullable<ScenarioFile['host']>>;
/** Where a host field was written: the base scenario's line, or the candidate's that overrides it. */
export type HostPath = (...field: (string | number)[]) => Path;

/**
 * A candidate's host over the scenario's, field by field (deep merge), with one
 * rule for the fields that spell the GPU list: a candidate that names its GPUs
 * (`gpus` or `gpu`) replaces the base's `gpus`, `gpu` and `vram` — a new GPU type
 * brings its own memory — and keeps the base's number of GPUs unless it gives one
 * (`gpus` is a whole list, so it gives one). `count` alone keeps the type; `vram`
 * alone keeps the type and changes the memory; `reserved` alone is every GPU's.
 */
export function mergeHost(base: HostFile, over: HostFile | undefined): HostFile {
  if (!over) return base;
  const out = deepMerge(base, over) as HostFile;
  // A candidate's host-wide `reserved` is every GPU's, over the base list's per-GPU values.
  if (over.reserved !== undefined && over.gpus === undefined && out.gpus) out.gpus = out.gpus.map(({ reserved: _, ...g }) => g);
  if (over.gpus === undefined && over.gpu === undefined) return out;
  if (over.vram === undefined) delete out.vram;
  if (over.gpus !== undefined) {
    delete out.gpu;
    if (over.count === undefined) delete out.count;
  } else {
    delete out.gpus;
    if (over.count === undefined && base.count === undefined && base.gpus !== undefined) out.count = base.gpus.length;
    // Naming a GPU type over a CPU-only host means one such GPU, not none.
    if (over.count === undefined && out.count === 0) out.count = 1;
  }
  return out;
}

/** Host fields (the scenario's, or merged with a candidate's) → resolved host; `at` says where each field was written. */
export function resolveHost(
  src: YamlSource, h: HostFile, at: HostPath,
  size: (v: unknown, p: Path) => number, duration: (v: unknown, p: Path) => number,
): ResolvedHost {
  const out: ResolvedHost = {
    gpus: [], gpuIds: [], unload: HOST_DEFAULTS.unload, link: HOST_DEFAULTS.link, storage: HOST_DEFAULTS.storage,
    storageBandwidth: storageById(HOST_DEFAULTS.storage)!.bandwidth, ram: HOST_DEFAULTS.ram, runnerStart: HOST_DEFAULTS.runnerStart,
  };
  if (h.gpus === undefined && h.gpu === undefined && h.vram === undefined) throw src.error(at('gpus'), msg.noGpus());
  if (h.gpu !== undefined) {
    const spec = catalogueGpu(src, h.gpu, at('gpu'));
    const count = h.count ?? 1;
    if (!Number.isInteger(count) || count < 0) throw src.error(at('count'), msg.notPositiveInt(String(count)));
    out.gpus = Array.from({ length: count }, () => spec.vram);
    out.gpuIds = out.gpus.map(() => spec.id);
    out.link = spec.link;
    out.unified = spec.unified;
    if (spec.ram !== undefined) out.ram = spec.ram;
  }
  if (h.gpus !== undefined) {
    out.gpus = h.gpus.map((g, i) => {
      const spec = g.gpu !== undefined ? catalogueGpu(src, g.gpu, at('gpus', i, 'gpu')) : null;
      if (g.vram === undefined && !spec) throw src.error(at('gpus', i, 'vram'), msg.missing());
      if (spec) {
        out.link = spec.link;
        out.unified = spec.unified;
      }
      return g.vram !== undefined ? size(g.vram, at('gpus', i, 'vram')) : spec!.vram;
    });
    out.gpuIds = h.gpus.map((g) => g.gpu ?? null);
  }
  if (h.gpu === undefined && (h.count !== undefined || h.vram !== undefined)) repeatGpus(src, h, at, size, out);
  else if (h.vram !== undefined) out.gpus = out.gpus.map(() => size(h.vram, at('vram')));
  if (out.gpus.length === 0) out.link = Infinity;
  if (h.storage !== undefined) {
    const st = storageById(h.storage);
    if (!st) throw src.error(at('storage'), msg.unknownCatalogue('storage', h.storage, STORAGE.map((x) => x.id)));
    out.storage = st.id;
    out.storageBandwidth = st.bandwidth;
  }
  if (h.ram !== undefined) out.ram = size(h.ram, at('ram'));
  if (h.unified !== undefined) out.unified = h.unified;
  if (h.runner_start !== undefined) out.runnerStart = duration(h.runner_start, at('runner_start'));
  if (h.unload !== undefined) out.unload = duration(h.unload, at('unload'));
  resolveReserved(src, h, at, size, out);
  return out;
}

/** Memory other processes hold: `reserved` on the host (every GPU) or per GPU; never more than the GPU has. */
function resolveReserved(src: YamlSource, h: HostFile, at: HostPath, size: (v: unknown, p: Path) => number, out: ResolvedHost): void {
  const perGpu = h.gpus?.map((g, i) => (g.reserved === undefined ? undefined : { bytes: size(g.reserved, at('gpus', i, 'reserved')), at: at('gpus', i, 'reserved') }));
  const all = h.reserved === undefined ? undefined : size(h.reserved, at('reserved'));
  if (all === undefined && !perGpu?.some((x) => x)) return;
  out.reserved = out.gpus.map((vram, g) => {
    const given = perGpu?.[g];
    const bytes = given?.bytes ?? all ?? 0;
    if (bytes > vram) throw src.error(given?.at ?? at('reserved'), msg.reservedTooLarge(String(given ? h.gpus![g]!.reserved : h.reserved)));
    return bytes;
  });
}

function catalogueGpu(src: YamlSource, id: string, path: Path) {
  const spec = gpuById(id);
  if (!spec) throw src.error(path, msg.unknownCatalogue('GPU', id, GPUS.map((g) => g.id)));
  return spec;
}

/** The catalogue entry a model name (or its `tag`) refers to, if any. */
export function catalogueModel(tag: string): ModelSpec | undefined {
  return modelByTag(tag);
}

export function architecture(spec: ModelSpec): ModelArchitecture {
  return {
    file: spec.file, layers: spec.layers, heads: spec.heads, kvHeads: spec.kvHeads,
    embedding: spec.embedding, ctxTrain: spec.ctxTrain, embeddingOnly: spec.embedding_only === true,
  };
}

export const CATALOGUE_MODEL_TAGS = MODELS.map((m) => m.tag);

/** A host given only by GPU sizes, with the defaults for everything else (tests, benchmarks). */
export function simpleHost(gpus: number[], unload = HOST_DEFAULTS.unload): ResolvedHost {
  return {
    gpus, gpuIds: gpus.map(() => null), unload, link: gpus.length ? HOST_DEFAULTS.link : Infinity,
    storage: HOST_DEFAULTS.storage, storageBandwidth: storageById(HOST_DEFAULTS.storage)!.bandwidth,
    ram: HOST_DEFAULTS.ram, runnerStart: HOST_DEFAULTS.runnerStart,
  };
}

/**
 * Prompt-processing and generation speed of a model on a host, tokens/s: what the
 * scenario gives (`prefill_tps`, `decode_tps`), else, for a catalogue model, the
 * cited table's for the host's first GPU type (src/hardware/throughput.ts), or the
 * CPU's on a host without GPUs. null = unknown (a GPU given by its memory alone,
 * a model outside the catalogue without rates).
 */
export function tokenRates(m: Pick<ResolvedModel, 'tag' | 'prefillTps' | 'decodeTps'>, host: ResolvedHost): Rates | null {
  const prefill = m.prefillTps ?? NaN;
  const decode = m.decodeTps ?? NaN;
  if (!Number.isNaN(prefill) && !Number.isNaN(decode)) return { prefill, decode, basis: 'given in the scenario' };
  const spec = m.tag ? modelByTag(m.tag) : undefined;
  const gpu = host.gpuIds[0] ? gpuById(host.gpuIds[0]) : undefined;
  const t = !spec ? null : host.gpus.length === 0 ? cpuRates(spec) : gpu ? ratesFor(gpu, spec) : null;
  if (!t) return null;
  return { prefill: Number.isNaN(prefill) ? t.prefill : prefill, decode: Number.isNaN(decode) ? t.decode : decode, basis: t.basis };
}

/**
 * `count` without `gpu` (a sweep axis such as host.count=1,2,4): that many GPUs
 * like the first one; `vram`: every GPU with that much memory. Either would
 * otherwise be silently ignored.
 */
function repeatGpus(src: YamlSource, h: HostFile, at: HostPath, size: (v: unknown, p: Path) => number, out: ResolvedHost): void {
  if (h.count !== undefined) {
    if (!Number.isInteger(h.count) || h.count < 0) throw src.error(at('count'), msg.notPositiveInt(String(h.count)));
    if (out.gpus.length === 0 && h.count > 0 && h.vram === undefined) throw src.error(at('count'), msg.countWithoutGpu());
    const vram = out.gpus[0] ?? 0;
    const id = out.gpuIds[0] ?? null;
    out.gpus = Array.from({ length: h.count }, () => vram);
    out.gpuIds = out.gpus.map(() => id);
    if (out.gpus.length === 0) out.link = Infinity;
  }
  if (h.vram !== undefined) {
    const vram = size(h.vram, at('vram'));
    // A catalogue GPU keeps its type (its speed and link) with other memory; none listed = one GPU of that memory.
    if (out.gpus.length === 0) out.gpuIds = [null];
    out.gpus = out.gpus.length ? out.gpus.map(() => vram) : [vram];
    if (out.link === Infinity) out.link = HOST_DEFAULTS.link;
  }
}
