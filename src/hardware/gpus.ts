/**
 * GPU catalogue. Every number says where it comes from; users override any of
 * them in the scenario (`host: { gpu: rtx-4090, vram: 22GiB, … }`).
 *
 * Sources:
 *   [spec]  the vendor's published specification sheet for the product;
 *   [fn5]   ../shared/notes/field-notes.md §5 (PCIe: Gen4 x16 ≈ 25 GB/s measured on an A100,
 *           ollama#4098; Gen5 x16 line rate 64 GB/s);
 *   [est.]  our estimate, stated as such (effective Gen5 x16 ≈ 2 × the measured Gen4 figure;
 *           prices are rough list/cloud figures for comparison only — override them).
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
  source: string;
}

const GiB = 2 ** 30;
const GBps = 1e9;
const GEN4 = { link: 25 * GBps, linkName: 'PCIe 4.0 x16' };
const GEN5 = { link: 50 * GBps, linkName: 'PCIe 5.0 x16' };

export const GPUS: readonly GpuSpec[] = [
  { id: 'rtx-3090', name: 'NVIDIA GeForce RTX 3090', vram: 24 * GiB, bandwidth: 936 * GBps, ...GEN4, unified: false, priceToBuy: 900, source: '[spec] 24 GB GDDR6X, 936 GB/s; [fn5] link; [est.] price (used)' },
  { id: 'rtx-4090', name: 'NVIDIA GeForce RTX 4090', vram: 24 * GiB, bandwidth: 1008 * GBps, ...GEN4, unified: false, pricePerHour: 0.7, priceToBuy: 1800, source: '[spec] 24 GB GDDR6X, 1008 GB/s; [fn5] link; [est.] prices' },
  { id: 'rtx-5090', name: 'NVIDIA GeForce RTX 5090', vram: 32 * GiB, bandwidth: 1792 * GBps, ...GEN5, unified: false, priceToBuy: 2000, source: '[spec] 32 GB GDDR7, 1792 GB/s, PCIe 5.0; [est.] link, price' },
  { id: 'a10g', name: 'NVIDIA A10G', vram: 24 * GiB, bandwidth: 600 * GBps, ...GEN4, unified: false, pricePerHour: 1.0, source: '[spec] 24 GB GDDR6, 600 GB/s; [fn5] link; [est.] cloud price' },
  { id: 'l4', name: 'NVIDIA L4', vram: 24 * GiB, bandwidth: 300 * GBps, ...GEN4, unified: false, pricePerHour: 0.8, priceToBuy: 2500, source: '[spec] 24 GB GDDR6, 300 GB/s; [fn5] link; [est.] prices' },
  { id: 'l40s', name: 'NVIDIA L40S', vram: 48 * GiB, bandwidth: 864 * GBps, ...GEN4, unified: false, pricePerHour: 1.9, priceToBuy: 8000, source: '[spec] 48 GB GDDR6, 864 GB/s; [fn5] link; [est.] prices' },
  { id: 'a100-40gb', name: 'NVIDIA A100 40GB', vram: 40 * GiB, bandwidth: 1555 * GBps, ...GEN4, unified: false, pricePerHour: 1.5, source: '[spec] 40 GB HBM2, 1555 GB/s; [fn5] link; [est.] cloud price' },
  { id: 'a100-80gb', name: 'NVIDIA A100 80GB', vram: 80 * GiB, bandwidth: 1935 * GBps, ...GEN4, unified: false, pricePerHour: 2.0, priceToBuy: 15000, source: '[spec] 80 GB HBM2e, 1935 GB/s (PCIe); [fn5] link measured 25 GB/s (ollama#4098); [est.] prices' },
  { id: 'h100-pcie', name: 'NVIDIA H100 PCIe', vram: 80 * GiB, bandwidth: 2000 * GBps, ...GEN5, unified: false, pricePerHour: 2.5, priceToBuy: 25000, source: '[spec] 80 GB HBM2e, 2.0 TB/s; [est.] link, prices' },
  { id: 'h100-sxm', name: 'NVIDIA H100 SXM', vram: 80 * GiB, bandwidth: 3350 * GBps, ...GEN5, unified: false, pricePerHour: 3.0, priceToBuy: 30000, source: '[spec] 80 GB HBM3, 3.35 TB/s; [est.] link, prices' },
  { id: 'h200', name: 'NVIDIA H200', vram: 141 * GiB, bandwidth: 4800 * GBps, ...GEN5, unified: false, pricePerHour: 3.8, source: '[spec] 141 GB HBM3e, 4.8 TB/s; [est.] link, price' },
  { id: 'm2-ultra', name: 'Apple M2 Ultra (unified memory)', vram: 144 * GiB, ram: 192 * GiB, bandwidth: 800 * GBps, link: 800 * GBps, linkName: 'unified memory', unified: true, priceToBuy: 5600, source: '[spec] 192 GB unified, 800 GB/s; GPU working set ≈ 75 % of RAM (Metal recommendedMaxWorkingSetSize) [est.]; no host link: loads are bound by storage; [est.] price' },
  { id: 'm4-max', name: 'Apple M4 Max (unified memory)', vram: 96 * GiB, ram: 128 * GiB, bandwidth: 546 * GBps, link: 546 * GBps, linkName: 'unified memory', unified: true, priceToBuy: 4700, source: '[spec] 128 GB unified, 546 GB/s; GPU working set ≈ 75 % of RAM [est.]; [est.] price' },
];

export function gpuById(id: string): GpuSpec | undefined {
  return GPUS.find((g) => g.id === id);
}
