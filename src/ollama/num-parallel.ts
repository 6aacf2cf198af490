/**
 * numParallel for a runner (load, sched.go:497-510; spec §2): OLLAMA_NUM_PARALLEL
 * (already ≥ 1), but 1 for embedding-only models and for the architectures that
 * are not safe with parallel requests (ollama#4165).
 */
export const SINGLE_SLOT_FAMILIES: readonly string[] = [
  'mllama', 'qwen3vl', 'qwen3vlmoe', 'qwen35', 'qwen35moe', 'qwen3next', 'lfm2', 'lfm2moe',
  'nemotron_h', 'nemotron_h_moe', 'nemotron_h_omni',
];

export function numParallelFor(envNumParallel: number, embeddingOnly: boolean, family?: string): number {
  if (embeddingOnly) return 1;
  if (family !== undefined && SINGLE_SLOT_FAMILIES.includes(family)) return 1;
  return Math.max(1, envNumParallel);
}

/**
 * The automatic OLLAMA_NUM_PARALLEL of older versions (versions.ts): with the
 * variable unset or 0, pickBestFullFitByLibrary tries defaultParallel — 4 in
 * v0.2.0–v0.6.6, 2 in v0.6.7–v0.9.6 (0.6.8 sched.go:61) — and falls back to 1
 * when the model does not fit fully with it (0.6.8 sched.go:728-777); from
 * v0.10.0 the default is 1 (0.10.0 envconfig/config.go:222). Ollama decides at
 * each load against the free memory then; the simulator decides once per model,
 * against one empty GPU (`fits`), so a model that fits alone gets the automatic
 * value even when others are loaded.
 */
/** Returns the automatic value, or 0 when OLLAMA_NUM_PARALLEL (as envconfig parses it) decides. */
export function autoNumParallel(defaultParallel: number, rawEnv: unknown, fits: (numParallel: number) => boolean): number {
  if (defaultParallel <= 1) return 0; // OLLAMA_NUM_PARALLEL (default 1) decides
  const raw = rawEnv === undefined ? '' : String(rawEnv).trim().replace(/^["']+|["']+$/g, '').trim();
  if (raw !== '' && raw !== '0') return 0; // set: OLLAMA_NUM_PARALLEL decides
  return fits(defaultParallel) ? defaultParallel : 1;
}
