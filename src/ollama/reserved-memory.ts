import { EventKind, Reason } from '../events/index.js';
import type { Scheduler } from './sched.js';

/**
 * Memory other processes hold on a GPU (a desktop, another CUDA process).
 * Ollama sees it only in the GPU's reported free memory: updateFreeSpace
 * (sched.go:1295-1335) keeps the smaller of reported free and total − its
 * loaded runners, so free = total − runners − reserved (Scheduler.gpuTaken).
 * That free memory feeds placement (selectLlamaServerPlacement), the 80 %
 * pre-flight (sched.go:547-561) and, when llama-server finds less than its
 * real footprint, the load-OOM path (load-oom.ts).
 *
 * A `reserve` fault changes what another process holds during the run. A load
 * under way on that GPU that no longer fits beside it ends in an OOM.
 */
export function onReserveChange(s: Scheduler, index: number): void {
  const change = s.cfg.reserveChanges![index]!;
  s.reserved[change.gpu] = change.bytes;
  s.emit(EventKind.fault, 0, -1, Reason.reserved, change.bytes);
  const loading = s.loadingRunner;
  const g = change.gpu;
  if (loading && loading.gpuShare[g]! > 0 && s.gpuUsed[g]! + s.reserved[g]! > s.cfg.gpus[g]!) s.loadOom = true;
}
