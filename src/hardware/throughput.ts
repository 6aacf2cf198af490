import { GPUS, type GpuSpec } from './gpus.js';
import type { ModelSpec } from './models.js';

/**
 * Answer time: prompt_tokens ÷ prefill rate + output_tokens ÷ decode rate.
 *
 * Measured rates, llama.cpp, Llama 3 Q4_K_M, 1024-token prompt, 1024 generated tokens
 * (XiongjieDai/GPU-Benchmarks-on-LLM-Inference, field-notes §5): tokens/s for 8B and 70B.
 * Other GPUs scale the nearest measured one by memory bandwidth (decode is memory-bound;
 * the field notes' L4 estimate scales the RTX 4000 Ada the same way).
 * Other model sizes scale from the 8B rate by file size: decode ∝ size^-0.85 and prefill ∝
 * size^-0.95, exponents fitted to the 8B/70B pairs of the table (A100 0.84, H100 0.81,
 * L40S 0.92 for decode; A100 0.96 for prefill) [est.].
 */
interface Measured {
  decode8b: number;
  decode70b?: number;
  prefill8b: number;
  prefill70b?: number;
}

export const MEASURED: Record<string, Measured> = {
  'rtx-4090': { decode8b: 127.74, prefill8b: 6898.71 },
  'rtx-3090': { decode8b: 111.74, prefill8b: 3865.39 },
  'a100-80gb': { decode8b: 138.31, decode70b: 22.11, prefill8b: 5800.48, prefill70b: 726.65 },
  'h100-pcie': { decode8b: 144.49, decode70b: 25.01, prefill8b: 7760.16, prefill70b: 984.06 },
  'l40s': { decode8b: 113.6, decode70b: 15.31, prefill8b: 5908.52, prefill70b: 649.08 },
  'm2-ultra': { decode8b: 76.28, decode70b: 12.13, prefill8b: 1023.89, prefill70b: 117.76 },
};

const FILE_8B = 4.9e9;
const DECODE_EXP = 0.85;
/** The model the table measures (8B Q4_K_M): hardware compared with hardware at its size. */
export const MEASURED_REFERENCE = { file: FILE_8B };
const PREFILL_EXP = 0.95;

export interface Rates {
  decode: number;
  prefill: number;
  /** Where the 8B anchor came from: measured on this GPU, or scaled from another by bandwidth. */
  basis: string;
}

export function ratesFor(gpu: GpuSpec, model: Pick<ModelSpec, 'file'>): Rates {
  const own = MEASURED[gpu.id];
  const anchorId = own ? gpu.id : nearestMeasured(gpu);
  const anchor = MEASURED[anchorId]!;
  const scale = own ? 1 : gpu.bandwidth / GPUS.find((g) => g.id === anchorId)!.bandwidth;
  const size = model.file / FILE_8B;
  return {
    decode: anchor.decode8b * scale * size ** -DECODE_EXP,
    prefill: anchor.prefill8b * scale * size ** -PREFILL_EXP,
    basis: own ? `measured on ${gpu.id}` : `scaled from ${anchorId} by memory bandwidth`,
  };
}

/** The measured GPU with the closest memory bandwidth (discrete with discrete, unified with unified). */
function nearestMeasured(gpu: GpuSpec): string {
  let best = '';
  let bestD = Infinity;
  for (const id of Object.keys(MEASURED)) {
    const g = GPUS.find((x) => x.id === id)!;
    if (g.unified !== gpu.unified) continue;
    const d = Math.abs(Math.log(g.bandwidth / gpu.bandwidth));
    if (d < bestD) { bestD = d; best = id; }
  }
  return best;
}

/**
 * Several requests in one runner's slots: the aggregate rate rises and each
 * stream slows. Per-stream rate = single × n^-0.59, so the aggregate grows as
 * n^0.41 — fitted to servebench's qwen2.5:0.5b on an RTX 3050 laptop, 1 user
 * 203 t/s and 4 users 361 t/s in all (field-notes §5) [est.].
 */
export function perStreamFactor(streams: number): number {
  return Math.max(1, streams) ** -0.59;
}

/** System-RAM bandwidth a CPU decodes from: dual-channel DDR5, about 60 GB/s (field-notes §5 [est.]). */
export const RAM_BANDWIDTH = 60e9;

/**
 * A CPU-only host (no GPU, or every layer on the CPU). Decode is memory-bound: each
 * token reads the whole file from RAM, so rate = RAM bandwidth ÷ file size — for 8B
 * Q4_K_M 60 GB/s ÷ 4.9 GB ≈ 12 t/s, the bound the field notes give for offloaded
 * layers (field-notes §5 [est.]). Prefill is compute-bound: 224 t/s for LLaMA-3.1-8B
 * on a 16-core Ryzen 9 7950X (ik_llama.cpp#128, pp512, a CPU-tuned llama.cpp fork;
 * mainline llama.cpp is slower, so this is an upper figure), scaled to other sizes by
 * file size like the GPU rates.
 */
export const CPU = { id: 'cpu', ramBandwidth: RAM_BANDWIDTH, prefill8b: 224, source: 'field-notes §5 (decode bound by RAM bandwidth) [est.]; ik_llama.cpp#128 (prefill, Ryzen 9 7950X)' };

export function cpuRates(model: Pick<ModelSpec, 'file'>): Rates {
  return {
    decode: CPU.ramBandwidth / model.file,
    prefill: CPU.prefill8b * (model.file / FILE_8B) ** -PREFILL_EXP,
    basis: 'CPU: decode at RAM bandwidth, prefill as a Ryzen 9 7950X',
  };
}

/**
 * Layers offloaded to the CPU slow decoding: each token reads the GPU part at
 * GPU speed and the CPU part at system-RAM bandwidth (default 60 GB/s DDR5,
 * field-notes §5 [est.]). Returns the decode rate for a `gpuShare` (0–1) of the model on the GPU.
 */
export function offloadedDecode(decode: number, file: number, gpuShare: number, ramBandwidth = RAM_BANDWIDTH): number {
  if (gpuShare >= 1) return decode;
  const gpuSeconds = gpuShare / decode;
  const cpuSeconds = ((1 - gpuShare) * file) / ramBandwidth;
  return 1 / (gpuSeconds + cpuSeconds);
}

export function answerSeconds(promptTokens: number, outputTokens: number, r: { prefill: number; decode: number }): number {
  return promptTokens / r.prefill + outputTokens / r.decode;
}
