import { z } from 'zod';
import { SERVER_ENV_NAMES } from '../ollama/envconfig.js';
import { num, RANGES } from './ranges.js';

/**
 * The scenario file's shape (strict: an unknown key is an error). Units and
 * cross-references (sizes, durations, model names) are checked when the
 * scenario is resolved, where each value's line is known.
 */
const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Quantity = z.union([z.string(), z.number()]);
const KeepAlive = z.union([z.string(), z.number(), z.null()]);

export const ServerSchema = z.strictObject({
  ...(Object.fromEntries(SERVER_ENV_NAMES.map((n) => [n, Scalar.optional()])) as Record<(typeof SERVER_ENV_NAMES)[number], z.ZodOptional<typeof Scalar>>),
  /**
   * The Ollama release the server runs ("0.6.8"): its scheduler rules (src/ollama/versions.ts).
   * A string of a bundled release tag; a number is accepted here only so that the resolver can
   * say that `0.30` reads as 0.3 and must be quoted.
   */
  version: z.union([z.string(), z.number()]).optional(),
});

export const ModelSchema = z.strictObject({
  /** A model catalogue tag (default: the model's own name). */
  tag: z.string().optional(),
  vram: Quantity.optional(),
  load: Quantity.optional(),
  p: Quantity.optional(),
  keep_alive: KeepAlive.optional(),
  key: z.string().optional(),
  load_fails_after: Quantity.optional(),
  num_ctx: num(RANGES.context).optional(),
  n_ctx_train: num(RANGES.context).optional(),
  /** Modelfile num_gpu: 0 = CPU only, 1…layers = that many layers on the GPU (no pre-flight), -1 = automatic. */
  num_gpu: num(RANGES.numGpu).optional(),
  /** Block count of a model given by size (what num_gpu is compared with; spec §5.2c). */
  layers: z.number().int().min(1).max(1000).optional(),
  /** Architecture family (general.architecture): some run with one slot whatever OLLAMA_NUM_PARALLEL says (spec §2). */
  family: z.string().min(1).optional(),
  /** A vision (multimodal) model: num_ctx is at least 2048 (spec §5.1). */
  vision: z.boolean().optional(),
  /** Prompt processing and generation speed, tokens/s: requests given as tokens take prompt/prefill_tps + output/decode_tps. */
  prefill_tps: num(RANGES.tps).optional(),
  decode_tps: num(RANGES.tps).optional(),
});

export const HostSchema = z.strictObject({
  /** `reserved`: memory another process holds on that GPU (a desktop, another CUDA process). */
  gpus: z.array(z.strictObject({ gpu: z.string().optional(), vram: Quantity.optional(), reserved: Quantity.optional() })).optional(),
  /** Catalogue shorthand: `gpu: rtx-4090, count: 2`. */
  gpu: z.string().optional(),
  count: num(RANGES.gpus).optional(),
  /** Every GPU's memory (one GPU when none is listed): a sweep axis such as host.vram=24GiB,48GiB. */
  vram: Quantity.optional(),
  storage: z.string().optional(),
  ram: Quantity.optional(),
  runner_start: Quantity.optional(),
  /** Memory other processes hold on every GPU (per GPU: gpus[i].reserved wins). */
  reserved: Quantity.optional(),
  /** Unified memory (an iGPU, or an Apple GPU given by vram): free RAM caps the GPU (spec §9.7). */
  unified: z.boolean().optional(),
  unload: Quantity.optional(),
});

const WarmSchema = z.array(z.union([z.string(), z.strictObject({ model: z.string(), keep_alive: KeepAlive.optional() })]));

/**
 * Faults: a server restart, a runtime OOM on a model, a period when a model's
 * loads crash or stall, and another process taking or freeing GPU memory
 * (`reserve`: from `at`, it holds `vram` on GPU `gpu`; 0 frees it).
 */
export const FaultSchema = z.strictObject({
  kind: z.enum(['restart', 'runtime_oom', 'load_crash', 'load_stall', 'reserve']),
  at: Quantity.optional(),
  model: z.string().optional(),
  from: Quantity.optional(),
  until: Quantity.optional(),
  after: Quantity.optional(),
  gpu: z.number().int().min(0).max(1023).optional(),
  vram: Quantity.optional(),
});

/** Clients re-send 503s and 500s: at most `attempts` sends in all, waiting backoff × 2^(k−1) before the k-th retry. */
export const RetrySchema = z.strictObject({ attempts: num(RANGES.attempts), backoff: Quantity });

/** A length distribution: a fixed number, { uniform: [lo, hi] } or lognormal { median, p95 }. */
const Len = num(RANGES.length);
const DistSchema = z.union([Len, z.strictObject({ uniform: z.tuple([Len, Len]) }), z.strictObject({ median: Len, p95: Len })]);

/** Synthetic traffic for one model (or, under zipf, shared by many). */
export const SynthModelSchema = z.strictObject({
  rate: Quantity,
  process: z.enum(['poisson', 'gamma', 'onoff']).optional(),
  cv: num(RANGES.cv).optional(),
  on: Quantity.optional(),
  off: Quantity.optional(),
  peak_hour: num(RANGES.peakHour).optional(),
  trough: num(RANGES.trough).optional(),
  profile: z.array(num(RANGES.profile)).optional(),
  duration: DistSchema.optional(),
  prompt_tokens: DistSchema.optional(),
  output_tokens: DistSchema.optional(),
});

/**
 * Closed-loop users (chat UIs): each of `count` users sends a request, waits for
 * the answer, thinks, and sends the next. think_time: a duration (the mean of an
 * exponential) or a length distribution in seconds.
 */
export const UsersSchema = z.strictObject({
  count: num(RANGES.users),
  models: z.array(z.string()),
  /** Zipf exponent over `models` (each request picks one); default: uniform. */
  s: num(RANGES.zipf).optional(),
  think_time: z.union([Quantity, DistSchema]),
  duration: DistSchema.optional(),
  prompt_tokens: DistSchema.optional(),
  output_tokens: DistSchema.optional(),
});

export const SyntheticSchema = z.strictObject({
  length: Quantity.optional(),
  models: z.record(z.string(), SynthModelSchema).optional(),
  zipf: SynthModelSchema.extend({ models: z.array(z.string()), s: num(RANGES.zipf).optional() }).optional(),
  users: UsersSchema.optional(),
});

/** One trace file in `workload.sources` (see src/workload/formats.ts for the formats). */
export const SourceSchema = z.strictObject({
  file: z.string(),
  format: z.string(),
  columns: z.record(z.string(), z.string()).optional(),
  time: z.enum(['iso', 's', 'ms']).optional(),
  model: z.string().optional(),
  models: z.record(z.string(), z.string()).optional(),
  split: z.strictObject({ models: z.array(z.string()), by: z.enum(['zipf']).optional(), s: num(RANGES.zipf).optional() }).optional(),
  time_scale: num(RANGES.scale).optional(),
  window: z.strictObject({ start: Quantity.optional(), end: Quantity.optional() }).optional(),
  rate_scale: num(RANGES.scale).optional(),
  sort: z.boolean().optional(),
  /** A row with a missing or unparseable field: fail (default) or skip it, counted in the warnings. */
  bad_rows: z.enum(['fail', 'skip']).optional(),
  /** Keep only rows whose column (as named in the file) holds the value, or one of the values. */
  where: z.record(z.string(), z.union([Scalar, z.array(Scalar)])).optional(),
});

/** What-ifs Ollama does not have, labelled not-Ollama in every output: `policy: { eviction: lru }`. */
export const PolicySchema = z.strictObject({ eviction: z.enum(['ollama', 'lru', 'cost']) });

/** N Ollama servers, each with its own scheduler, GPUs and page cache, behind a router. */
export const FleetSchema = z.strictObject({
  hosts: num(RANGES.hosts),
  router: z.enum(['round-robin', 'least-outstanding', 'model-affinity', 'random']).optional(),
});

export const CandidateSchema = z.strictObject({
  name: z.string(),
  server: ServerSchema.optional(),
  host: HostSchema.partial().optional(),
  models: z.record(z.string(), ModelSchema.partial()).optional(),
  warm: WarmSchema.optional(),
  faults: z.array(FaultSchema).optional(),
  retry: RetrySchema.partial().nullable().optional(),
  /** Candidates are partial overrides, merged field by field into the scenario's (a router alone keeps the hosts). */
  policy: PolicySchema.partial().optional(),
  fleet: FleetSchema.partial().optional(),
  /** Offered load: the workload at this multiple of its rate (thinned or repeated in place, seeded). */
  rate_scale: num(RANGES.scale).optional(),
});

export const ScenarioSchema = z.strictObject({
  name: z.string().optional(),
  seed: num(RANGES.seed).optional(),
  horizon: Quantity.optional(),
  server: ServerSchema.optional(),
  host: HostSchema,
  models: z.record(z.string(), ModelSchema),
  warm: WarmSchema.optional(),
  faults: z.array(FaultSchema).optional(),
  retry: RetrySchema.optional(),
  policy: PolicySchema.optional(),
  fleet: FleetSchema.optional(),
  rate_scale: num(RANGES.scale).optional(),
  workload: z.strictObject({
    trace: z.string().optional(),
    requests: z.array(z.record(z.string(), z.unknown())).optional(),
    sources: z.array(SourceSchema).optional(),
    synthetic: SyntheticSchema.optional(),
    /** The GPU (catalogue id, or `cpu`) explicit durations were measured on: other hardware scales them by the catalogue's rates. */
    measured_on: z.string().optional(),
  }),
  candidates: z.array(CandidateSchema).optional(),
  /** Axes of a sweep: a candidate field path → the values to try (the Cartesian product is run). */
  sweep: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))).optional(),
  /** Statistics start after this (the run still simulates it). */
  warmup: Quantity.optional(),
});

export type ScenarioFile = z.infer<typeof ScenarioSchema>;
export type CandidateFile = z.infer<typeof CandidateSchema>;
export type ModelFile = z.infer<typeof ModelSchema>;
export type WarmFile = z.infer<typeof WarmSchema>;
export type SourceFile = z.infer<typeof SourceSchema>;
export type SyntheticFile = z.infer<typeof SyntheticSchema>;
export type SynthModelFile = z.infer<typeof SynthModelSchema>;
export type FaultFile = z.infer<typeof FaultSchema>;
export type RetryFile = z.infer<typeof RetrySchema>;
