import type { RunnerRef } from './runner-ref.js';

/**
 * findRunnerToUnload (spec §5.3): sort the loaded runners by (sessionDuration
 * ascending, key ascending) — 0 first, forever last — and take the first idle
 * one; if none is idle, the first overall, busy or not, and the scheduler then
 * waits for it. Recency and size play no part: this is not LRU.
 *
 * Ollama breaks ties on the blob path (a digest); we use the runner key name,
 * which users can set to reproduce a real host's order (spec §9.5).
 */
export function findRunnerToUnload(
  loaded: readonly (RunnerRef | null)[],
  keyNames: readonly string[],
  order: VictimOrder = byDurationAndName,
): RunnerRef | null {
  // The first idle runner of the sorted list is the least idle one by the order, and the first overall the least of all:
  // one pass finds both (ties keep the loaded table's order, as the stable sort did).
  let first: RunnerRef | null = null;
  let firstIdle: RunnerRef | null = null;
  for (const r of loaded) {
    if (!r) continue;
    if (!first || order(r, first, keyNames) < 0) first = r;
    if (r.refCount === 0 && (!firstIdle || order(r, firstIdle, keyNames) < 0)) firstIdle = r;
  }
  return firstIdle ?? first;
}

/**
 * A victim order. Ollama's is ByDurationAndName; what-if orders that Ollama
 * does not have (src/whatif/) can be injected to show what its order costs.
 */
export type VictimOrder = (a: RunnerRef, b: RunnerRef, keyNames: readonly string[]) => number;

/** Ollama's ByDurationAndName order. */
export function byDurationAndName(a: RunnerRef, b: RunnerRef, keyNames: readonly string[]): number {
  if (a.sessionDuration !== b.sessionDuration) return a.sessionDuration < b.sessionDuration ? -1 : 1;
  const an = keyNames[a.key]!;
  const bn = keyNames[b.key]!;
  return an < bn ? -1 : an > bn ? 1 : 0;
}
