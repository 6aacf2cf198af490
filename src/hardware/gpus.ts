/**
 * GPU catalogue. Every number says where it comes from; users override any of
 * them in the scenario (`host: { gpu: rtx-4090, vram: 22GiB, … }`).
 *
 * Sources:
 *   [spec]  the vendor's published specification sheet for the product;
 *   [fn5]   ../shared/notes/field-notes.md §5 (PCIe: Gen4 x16 ≈ 25 GB/s measured on an A100,
 *           ollama#4098; Gen5 x16 line rate 64 GB/s);
 *   [est.]  our estimate, stated as such (effective Gen5 x16 ≈ 2 × the measured Gen4 figure;
 *           prices are rough list/cloud figures for comparison only — override them);
 *   [hf]    huggingface.co/hardware/<gpu> (its "Power" figure: RTX 3090 350 W, L40S 350 W,
 *           H100 SXM 700 W, H200 700 W, RTX 5090 D 575 W);
 *   [idle]  drawn with a model loaded and no request running, [est.] as a quarter of board
 *           power: a P40 (250 W) draws about 11 W empty but about 50 W once llama.cpp has a model
 *           loaded (ggml-org/llama.cpp#3717); an A40 (300 W) about 30 W empty and about 110 W with
 *           data in memory, stuck in P0 (NVIDIA/open-gpu-kernel-modules#874) — 20 to 37 %;
 *   [apple] Apple's "Mac Studio power consumption and thermal output" page (whole machine,
 *           idle and maximum).
 * Power is the board's (TGP/TDP): what a busy GPU is charged in a bought fleet's power bill.
 * Memory: the marketed figure taken as GiB, which is what the driver reports (an RTX 4090's
 * "24 GB" shows as 24564 MiB).
 */
export interface GpuSpec {
  id: string;
  name: string;
  /** Memory in bytes. */
  vram: number;
  /** Memory bandwidth, bytes/s: scales decode rates for GPUs not measured. */
  bandwidth: number;
  /** Host link (PCIe generation × lanes) bandwidth, bytes/s: caps load speed. */
  link: number;
  linkName: string;
  /** Unified memory (Apple, iGPU): available memory is also capped by system RAM (spec §9.7). */
  unified: boolean;
  /** Unified memory: the machine's RAM (its GPU may use about 75 % of it, the `vram` here). */
  ram?: number;
  pricePerHour?: number;
  priceToBuy?: number;
  /** Board power (TGP/TDP), W: drawn while a request runs. Unified memory: the whole machine's maximum. */
  boardPower: number;
  /** Drawn loaded but idle, W. Unified memory: the whole machine at idle. */
  idlePower: number;
  source: string;
}

/** A model loaded and no request running: a quarter of board power (the [idle] source above) [est.]. */
const idle = (board: number) => ({ boardPower: board, idlePower: board / 4 });

const GiB = 2 ** 30;
const GBps = 1e9;
const GEN4 = { link: 25 * GBps, linkName: 'PCIe 4.0 x16' };
const GEN5 = { link: 50 * GBps, linkName: 'PCIe 5.0 x16' };

export const GPUS: readonly GpuSpec[] = [
  { id: 'rtx-3090', name: 'NVIDIA GeForce RTX 3090', vram: 24 * GiB, bandwidth: 936 * GBps, ...GEN4, unified: false, priceToBuy: 900, ...idle(350), source: '[spec] 24 GB GDDR6X, 936 GB/s; [fn5] link; [est.] price (used); [hf] 350 W' },
  { id: 'rtx-4090', name: 'NVIDIA GeForce RTX 4090', vram: 24 * GiB, bandwidth: 1008 * GBps, ...GEN4, unified: false, pricePerHour: 0.7, priceToBuy: 1800, ...idle(450), source: '[spec] 24 GB GDDR6X, 1008 GB/s; [fn5] link; [est.] prices; [spec] 450 W TGP' },
  { id: 'rtx-5090', name: 'NVIDIA GeForce RTX 5090', vram: 32 * GiB, bandwidth: 1792 * GBps, ...GEN5, unified: false, priceToBuy: 2000, ...idle(575), source: '[spec] 32 GB GDDR7, 1792 GB/s, PCIe 5.0; [est.] link, price; [spec] 575 W TGP ([hf] RTX 5090 D the same)' },
  { id: 'a10g', name: 'NVIDIA A10G', vram: 24 * GiB, bandwidth: 600 * GBps, ...GEN4, unified: false, pricePerHour: 1.0, ...idle(300), source: '[spec] 24 GB GDDR6, 600 GB/s; [fn5] link; [est.] cloud price; [est.] 300 W (the power cap nvidia-smi shows on AWS g5; the A10 it derives from is 150 W [spec])' },
  { id: 'l4', name: 'NVIDIA L4', vram: 24 * GiB, bandwidth: 300 * GBps, ...GEN4, unified: false, pricePerHour: 0.8, priceToBuy: 2500, ...idle(72), source: '[spec] 24 GB GDDR6, 300 GB/s; [fn5] link; [est.] prices; [spec] 72 W' },
  { id: 'l40s', name: 'NVIDIA L40S', vram: 48 * GiB, bandwidth: 864 * GBps, ...GEN4, unified: false, pricePerHour: 1.9, priceToBuy: 8000, ...idle(350), source: '[spec] 48 GB GDDR6, 864 GB/s; [fn5] link; [est.] prices; [hf] 350 W' },
  { id: 'a100-40gb', name: 'NVIDIA A100 40GB', vram: 40 * GiB, bandwidth: 1555 * GBps, ...GEN4, unified: false, pricePerHour: 1.5, ...idle(250), source: '[spec] 40 GB HBM2, 1555 GB/s; [fn5] link; [est.] cloud price; [spec] 250 W (PCIe)' },
  { id: 'a100-80gb', name: 'NVIDIA A100 80GB', vram: 80 * GiB, bandwidth: 1935 * GBps, ...GEN4, unified: false, pricePerHour: 2.0, priceToBuy: 15000, ...idle(300), source: '[spec] 80 GB HBM2e, 1935 GB/s (PCIe); [fn5] link measured 25 GB/s (ollama#4098); [est.] prices; [spec] 300 W (PCIe)' },
  { id: 'h100-pcie', name: 'NVIDIA H100 PCIe', vram: 80 * GiB, bandwidth: 2000 * GBps, ...GEN5, unified: false, pricePerHour: 2.5, priceToBuy: 25000, ...idle(350), source: '[spec] 80 GB HBM2e, 2.0 TB/s; [est.] link, prices; [spec] 350 W' },
  { id: 'h100-sxm', name: 'NVIDIA H100 SXM', vram: 80 * GiB, bandwidth: 3350 * GBps, ...GEN5, unified: false, pricePerHour: 3.0, priceToBuy: 30000, ...idle(700), source: '[spec] 80 GB HBM3, 3.35 TB/s; [est.] link, prices; [hf] 700 W' },
  { id: 'h200', name: 'NVIDIA H200', vram: 141 * GiB, bandwidth: 4800 * GBps, ...GEN5, unified: false, pricePerHour: 3.8, ...idle(700), source: '[spec] 141 GB HBM3e, 4.8 TB/s; [est.] link, price; [hf] 700 W' },
  { id: 'm2-ultra', name: 'Apple M2 Ultra (unified memory)', vram: 144 * GiB, ram: 192 * GiB, bandwidth: 800 * GBps, link: 800 * GBps, linkName: 'unified memory', unified: true, priceToBuy: 5600, boardPower: 295, idlePower: 11, source: '[spec] 192 GB unified, 800 GB/s; GPU working set ≈ 75 % of RAM (Metal recommendedMaxWorkingSetSize) [est.]; no host link: loads are bound by storage; [est.] price; [apple] Mac Studio M2 Ultra: 11 W idle, 295 W maximum' },
  { id: 'm4-max', name: 'Apple M4 Max (unified memory)', vram: 96 * GiB, ram: 128 * GiB, bandwidth: 546 * GBps, link: 546 * GBps, linkName: 'unified memory', unified: true, priceToBuy: 4700, boardPower: 270, idlePower: 10, source: '[spec] 128 GB unified, 546 GB/s; GPU working set ≈ 75 % of RAM [est.]; [est.] price; [est.] Mac Studio M4 Max: about 10 W idle, 270 W maximum' },
];

/** A host's own draw beside its GPUs (CPU, RAM, disks, fans, PSU losses), W [est.]; `--host-watts` overrides it. */
export const HOST_BASE_WATTS = 150;

export function gpuById(id: string): GpuSpec | undefined {
  return GPUS.find((g) => g.id === id);
}
