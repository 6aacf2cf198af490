import type { VictimOrder } from '../ollama/find-runner-to-unload.js';

/**
 * Eviction orders Ollama does NOT have, to show on a workload what Ollama's
 * order (keep_alive, then name: not LRU, spec §5.3) costs. The rest of the
 * scheduler is unchanged: idle runners still go before busy ones.
 *
 * - lru: the least recently used runner first (llama.cpp router's `--models-max`).
 * - cost: the runner that is cheapest to bring back per GiB it frees first —
 *   reload seconds ÷ GiB held, ascending (FaasCache's Greedy-Dual idea with a
 *   frequency of 1, field-notes §2).
 */
export const EVICTION_ORDERS = ['ollama', 'lru', 'cost'] as const;
export type EvictionOrder = (typeof EVICTION_ORDERS)[number];

const GiB = 2 ** 30;

const lru: VictimOrder = (a, b) => a.lastUsed - b.lastUsed || a.key - b.key;

const cost: VictimOrder = (a, b) => {
  const ca = a.loadSeconds / Math.max(a.vram / GiB, 1e-9);
  const cb = b.loadSeconds / Math.max(b.vram / GiB, 1e-9);
  return ca - cb || a.lastUsed - b.lastUsed || a.key - b.key;
};

/** The comparator for a what-if order, or undefined for Ollama's own. */
export function victimOrder(name: EvictionOrder | undefined): VictimOrder | undefined {
  return name === 'lru' ? lru : name === 'cost' ? cost : undefined;
}
