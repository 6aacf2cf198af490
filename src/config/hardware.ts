import { msg } from '../diag/index.js';
import { GPUS, gpuById } from '../hardware/gpus.js';
import { MODELS, modelByTag, type ModelSpec } from '../hardware/models.js';
import { STORAGE, storageById } from '../hardware/storage.js';
import type { Path, YamlSource } from './yaml-source.js';
import type { ModelArchitecture } from '../ollama/predict-server-vram.js';
import type { ScenarioFile } from './schema.js';
import { ratesFor } from '../hardware/throughput.js';
import type { ModelRates } from './request-rows.js';
import type { ResolvedCandidate, ResolvedHost } from './types.js';

const GiB = 2 ** 30;
/** Defaults when the scenario does not say: PCIe 4.0 x16 (field-notes §5), NVMe, 64 GiB RAM, 1 s runner start (est.). */
export const HOST_DEFAULTS = { link: 25e9, storage: 'nvme', ram: 64 * GiB, runnerStart: 1e6, unload: 1e6 };

type HostFile = Partial<NonNullable<ScenarioFile['host']>>;

/** Host fields → resolved host, on top of `base` for a candidate's partial override. */
export function resolveHost(
  src: YamlSource, h: HostFile, path: Path,
  size: (v: unknown, p: Path) => number, duration: (v: unknown, p: Path) => number,
  base?: ResolvedHost,
): ResolvedHost {
  const out: ResolvedHost = base ? { ...base, gpus: [...base.gpus], gpuIds: [...base.gpuIds] } : {
    gpus: [], gpuIds: [], unload: HOST_DEFAULTS.unload, link: HOST_DEFAULTS.link, storage: HOST_DEFAULTS.storage,
    storageBandwidth: storageById(HOST_DEFAULTS.storage)!.bandwidth, ram: HOST_DEFAULTS.ram, runnerStart: HOST_DEFAULTS.runnerStart,
  };
  if (!base && h.gpus === undefined && h.gpu === undefined && h.vram === undefined) throw src.error([...path, 'gpus'], msg.noGpus());
  if (h.gpu !== undefined) {
    const spec = catalogueGpu(src, h.gpu, [...path, 'gpu']);
    const count = h.count ?? 1;
    if (!Number.isInteger(count) || count < 0) throw src.error([...path, 'count'], msg.notPositiveInt(String(count)));
    out.gpus = Array.from({ length: count }, () => spec.vram);
    out.gpuIds = out.gpus.map(() => spec.id);
    out.link = spec.link;
    out.unified = spec.unified;
    if (spec.ram !== undefined) out.ram = spec.ram;
  }
  if (h.gpus !== undefined) {
    out.gpus = h.gpus.map((g, i) => {
      const spec = g.gpu !== undefined ? catalogueGpu(src, g.gpu, [...path, 'gpus', i, 'gpu']) : null;
      if (g.vram === undefined && !spec) throw src.error([...path, 'gpus', i, 'vram'], msg.missing());
      if (spec) {
        out.link = spec.link;
        out.unified = spec.unified;
      }
      return g.vram !== undefined ? size(g.vram, [...path, 'gpus', i, 'vram']) : spec!.vram;
    });
    out.gpuIds = h.gpus.map((g) => g.gpu ?? null);
  }
  if (h.gpu === undefined && (h.count !== undefined || h.vram !== undefined)) repeatGpus(src, h, path, size, out);
  if (out.gpus.length === 0) out.link = Infinity;
  if (h.storage !== undefined) {
    const st = storageById(h.storage);
    if (!st) throw src.error([...path, 'storage'], msg.unknownCatalogue('storage', h.storage, STORAGE.map((x) => x.id)));
    out.storage = st.id;
    out.storageBandwidth = st.bandwidth;
  }
  if (h.ram !== undefined) out.ram = size(h.ram, [...path, 'ram']);
  if (h.unified !== undefined) out.unified = h.unified;
  if (h.runner_start !== undefined) out.runnerStart = duration(h.runner_start, [...path, 'runner_start']);
  if (h.unload !== undefined) out.unload = duration(h.unload, [...path, 'unload']);
  resolveReserved(src, h, path, size, out);
  return out;
}

/** Memory other processes hold: `reserved` on the host (every GPU) or per GPU; never more than the GPU has. */
function resolveReserved(src: YamlSource, h: HostFile, path: Path, size: (v: unknown, p: Path) => number, out: ResolvedHost): void {
  const perGpu = h.gpus?.map((g, i) => (g.reserved === undefined ? undefined : { bytes: size(g.reserved, [...path, 'gpus', i, 'reserved']), at: [...path, 'gpus', i, 'reserved'] }));
  const all = h.reserved === undefined ? undefined : size(h.reserved, [...path, 'reserved']);
  if (all === undefined && !perGpu?.some((x) => x)) {
    if (out.reserved) out.reserved = out.gpus.map((_, g) => out.reserved![g] ?? out.reserved![0] ?? 0);
    return;
  }
  out.reserved = out.gpus.map((vram, g) => {
    const given = perGpu?.[g];
    const bytes = given?.bytes ?? all ?? 0;
    if (bytes > vram) throw src.error(given?.at ?? [...path, 'reserved'], msg.reservedTooLarge(String(given ? h.gpus![g]!.reserved : h.reserved)));
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
 * Token rates for answer times: where the scenario gives none, a catalogue model
 * on a catalogue GPU gets the cited table's (src/hardware/throughput.ts), for the
 * first candidate's first GPU (the trace is built once for all candidates).
 */
export function withCatalogueRates(rates: ModelRates[], c: ResolvedCandidate): ModelRates[] {
  const gpu = c.host.gpuIds[0] ? gpuById(c.host.gpuIds[0]) : undefined;
  return rates.map((r, i) => {
    const spec = c.models[i]?.tag ? modelByTag(c.models[i]!.tag!) : undefined;
    if (!gpu || !spec) return r;
    const t = ratesFor(gpu, spec);
    return { prefillTps: Number.isNaN(r.prefillTps) ? t.prefill : r.prefillTps, decodeTps: Number.isNaN(r.decodeTps) ? t.decode : r.decodeTps };
  });
}

/**
 * `count` without `gpu` (a sweep axis such as host.count=1,2,4): that many GPUs
 * like the first one; `vram`: every GPU with that much memory. Either would
 * otherwise be silently ignored.
 */
function repeatGpus(src: YamlSource, h: HostFile, path: Path, size: (v: unknown, p: Path) => number, out: ResolvedHost): void {
  if (h.count !== undefined) {
    if (!Number.isInteger(h.count) || h.count < 0) throw src.error([...path, 'count'], msg.notPositiveInt(String(h.count)));
    if (out.gpus.length === 0 && h.count > 0 && h.vram === undefined) throw src.error([...path, 'count'], msg.countWithoutGpu());
    const vram = out.gpus[0] ?? 0;
    const id = out.gpuIds[0] ?? null;
    out.gpus = Array.from({ length: h.count }, () => vram);
    out.gpuIds = out.gpus.map(() => id);
    if (out.gpus.length === 0) out.link = Infinity;
  }
  if (h.vram !== undefined) {
    const vram = size(h.vram, [...path, 'vram']);
    out.gpus = out.gpus.length ? out.gpus.map(() => vram) : [vram];
    // A GPU given by its memory alone is no longer the catalogue's.
    out.gpuIds = out.gpus.map(() => null);
    if (out.link === Infinity) out.link = HOST_DEFAULTS.link;
  }
}
