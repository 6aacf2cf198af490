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
  const candidates: RunnerRef[] = [];
  for (const r of loaded) if (r) candidates.push(r);
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => order(a, b, keyNames));
  return candidates.find((r) => r.refCount === 0) ?? candidates[0]!;
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
