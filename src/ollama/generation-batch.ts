/**
 * The automatic num_batch and its memory surcharge (automaticGenerationBatch,
 * generationBatchSurcharge in server/sched.go; spec §5.4). Completion models
 * only. The batch starts from the context — 2048 if ctx_total > 32768, 1024 if
 * > 4096, else 512 — and steps down while it does not fit: a batch fits when
 * predicted ≤ 80 % of available, predicted ≤ 60 % (2048) or 75 % (1024) of
 * available, and its surcharge fits in what the 80 % leaves.
 *
 * With flash attention disabled on a CUDA host (OLLAMA_FLASH_ATTENTION=false;
 * "auto" counts as enabled on the GPUs modelled) the batch is 512, or 256 on a
 * CUDA GPU of ≤ 8 GiB above 4096 of context (sched.go:822-857): no surcharge either way.
 */
const GiB = 2 ** 30;
const MiB = 2 ** 20;

export function generationBatchSurcharge(batch: number): number {
  return batch >= 2048 ? 2 * GiB : batch >= 1024 ? 768 * MiB : 0;
}

export function automaticGenerationBatch(ctxTotal: number, predicted: number, available: number, cudaWithoutFlashAttention = false): number {
  if (cudaWithoutFlashAttention) return 512; // or 256 (constrainedCUDAWithoutFlashAttention): the same zero surcharge
  let batch = ctxTotal > 32768 ? 2048 : ctxTotal > 4096 ? 1024 : 512;
  while (batch > 512 && !fits(batch, predicted, available)) batch = batch > 1024 ? 1024 : 512;
  return batch;
}

function fits(batch: number, predicted: number, available: number): boolean {
  if (predicted === 0 || available === 0) return true;
  const threshold = Math.floor((available * 80) / 100);
  if (predicted > threshold) return false;
  const headroom = batch >= 2048 ? 60 : 75;
  if (predicted > Math.floor((available * headroom) / 100)) return false;
  return generationBatchSurcharge(batch) <= threshold - predicted;
}
