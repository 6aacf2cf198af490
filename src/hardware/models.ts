/**
 * Model catalogue: the common Ollama tags with what the memory estimate needs.
 *
 * Sources: file sizes are those the Ollama library lists for the tag's default
 * quantisation (ollama.com/library/<model>/tags; 8B Q4_K_M ≈ 4.9 GB as in spec §5.4 and
 * field-notes §5); architecture (layers, attention heads, KV heads, embedding length,
 * head size, trained context) is the model's published config (GGUF metadata / Hugging Face
 * config.json). Ollama's estimate takes head_dim = embedding ÷ heads even where the model's
 * real head size differs (Gemma 2, Qwen3): so do we (src/ollama/predict-server-vram.ts).
 */
export interface ModelSpec {
  tag: string;
  /** GGUF file size, bytes. */
  file: number;
  params: string;
  quant: string;
  layers: number;
  heads: number;
  kvHeads: number;
  embedding: number;
  /** Trained context (n_ctx_train). */
  ctxTrain: number;
  /** Embedding-only model: no batch surcharge, NUM_PARALLEL forced to 1 (spec §2, §5.4). */
  embedding_only?: boolean;
}

const GB = 1e9;

function m(
  tag: string, fileGB: number, params: string, quant: string,
  layers: number, heads: number, kvHeads: number, embedding: number, ctxTrain: number,
  extra: Partial<ModelSpec> = {},
): ModelSpec {
  return { tag, file: fileGB * GB, params, quant, layers, heads, kvHeads, embedding, ctxTrain, ...extra };
}

export const MODELS: readonly ModelSpec[] = [
  m('llama3.2:1b', 1.3, '1.2B', 'Q8_0', 16, 32, 8, 2048, 131072),
  m('llama3.2:3b', 2.0, '3.2B', 'Q4_K_M', 28, 24, 8, 3072, 131072),
  m('llama3.1:8b', 4.9, '8.0B', 'Q4_K_M', 32, 32, 8, 4096, 131072),
  m('llama3.1:70b', 43, '70.6B', 'Q4_K_M', 80, 64, 8, 8192, 131072),
  m('llama3.3:70b', 43, '70.6B', 'Q4_K_M', 80, 64, 8, 8192, 131072),
  m('qwen2.5:7b', 4.7, '7.6B', 'Q4_K_M', 28, 28, 4, 3584, 32768),
  m('qwen2.5:14b', 9.0, '14.8B', 'Q4_K_M', 48, 40, 8, 5120, 32768),
  m('qwen2.5:32b', 20, '32.8B', 'Q4_K_M', 64, 40, 8, 5120, 32768),
  m('qwen2.5:72b', 47, '72.7B', 'Q4_K_M', 80, 64, 8, 8192, 32768),
  m('qwen2.5-coder:7b', 4.7, '7.6B', 'Q4_K_M', 28, 28, 4, 3584, 32768),
  m('qwen2.5-coder:14b', 9.0, '14.8B', 'Q4_K_M', 48, 40, 8, 5120, 32768),
  m('qwen2.5-coder:32b', 20, '32.8B', 'Q4_K_M', 64, 40, 8, 5120, 32768),
  m('qwen3:8b', 5.2, '8.2B', 'Q4_K_M', 36, 32, 8, 4096, 40960),
  m('qwen3:14b', 9.3, '14.8B', 'Q4_K_M', 40, 40, 8, 5120, 40960),
  m('qwen3:30b', 19, '30.5B (A3B MoE)', 'Q4_K_M', 48, 32, 4, 2048, 40960),
  m('qwen3:32b', 20, '32.8B', 'Q4_K_M', 64, 64, 8, 5120, 40960),
  m('mistral:7b', 4.1, '7.2B', 'Q4_0', 32, 32, 8, 4096, 32768),
  m('mistral-small:22b', 13, '22.2B', 'Q4_K_M', 56, 48, 8, 6144, 32768),
  m('mixtral:8x7b', 26, '46.7B (MoE)', 'Q4_0', 32, 32, 8, 4096, 32768),
  m('gemma2:9b', 5.4, '9.2B', 'Q4_0', 42, 16, 8, 3584, 8192),
  m('gemma2:27b', 16, '27.2B', 'Q4_0', 46, 32, 16, 4608, 8192),
  m('phi3:mini', 2.2, '3.8B', 'Q4_0', 32, 32, 32, 3072, 4096),
  m('phi4:14b', 9.1, '14.7B', 'Q4_K_M', 40, 40, 10, 5120, 16384),
  m('deepseek-r1:7b', 4.7, '7.6B (Qwen 2.5 distill)', 'Q4_K_M', 28, 28, 4, 3584, 131072),
  m('deepseek-r1:8b', 4.9, '8.0B (Llama 3.1 distill)', 'Q4_K_M', 32, 32, 8, 4096, 131072),
  m('deepseek-r1:14b', 9.0, '14.8B (Qwen 2.5 distill)', 'Q4_K_M', 48, 40, 8, 5120, 131072),
  m('deepseek-r1:32b', 20, '32.8B (Qwen 2.5 distill)', 'Q4_K_M', 64, 40, 8, 5120, 131072),
  m('deepseek-r1:70b', 43, '70.6B (Llama 3.3 distill)', 'Q4_K_M', 80, 64, 8, 8192, 131072),
  m('nomic-embed-text', 0.274, '137M', 'F16', 12, 12, 12, 768, 2048, { embedding_only: true }),
];

export function modelByTag(tag: string): ModelSpec | undefined {
  return MODELS.find((x) => x.tag === tag) ?? MODELS.find((x) => x.tag === `${tag}:latest`);
}
