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
