/**
 * PredictServerVRAM (llm/llama_server.go, spec §5.4): what Ollama expects a
 * model to need before it spawns llama-server —
 *   predicted = GGUF file size + KV,
 *   KV = 2 (K and V) × layers × kv_heads × head_dim × ctx_total × 2 bytes (f16, whatever
 *        OLLAMA_KV_CACHE_TYPE says), head_dim = embedding_length ÷ heads,
 *   ctx_total = min(num_ctx, n_ctx_train) × numParallel.
 * Not in it: compute buffers, GPU overhead, the projector.
 */
export interface ModelArchitecture {
  file: number;
  layers: number;
  heads: number;
  kvHeads: number;
  embedding: number;
  ctxTrain: number;
  /** Embedding-only: NUM_PARALLEL forced to 1 and no batch surcharge. */
  embeddingOnly: boolean;
}

export function kvCacheBytes(a: ModelArchitecture, ctxTotal: number): number {
  const headDim = a.heads > 0 ? Math.floor(a.embedding / a.heads) : 0;
  return 2 * a.layers * Math.max(1, a.kvHeads) * headDim * ctxTotal * 2;
}

/** ctx_total: the effective context times the parallel slots. */
export function contextTotal(a: ModelArchitecture, numCtx: number, numParallel: number): number {
  return Math.min(numCtx, a.ctxTrain) * Math.max(numParallel, 1);
}

export function predictServerVram(a: ModelArchitecture, numCtx: number, numParallel: number): number {
  return a.file + kvCacheBytes(a, contextTotal(a, numCtx, numParallel));
}
