/**
 * What-if eviction orders Ollama does not have (issue "capacity planner"),
 * labelled not-Ollama: the same workload under LRU or a cost-aware order.
 */
import { expect, test } from 'vitest';
import { only } from '../helpers/record.js';
import { DEFAULTS, runYaml } from '../helpers/run-yaml.js';

test('Ollama evicts the shorter keep_alive; LRU the least recently used; cost-aware the cheapest reload per GiB', async () => {
  const all = await runYaml(`${DEFAULTS}
server: { OLLAMA_MAX_LOADED_MODELS: 2 }
models: { A: { vram: 1GiB, load: 1s }, B: { vram: 1GiB, load: 10s }, C: { vram: 1GiB, load: 1s } }
workload:
  requests:
    - { at: 0, model: B, duration: 1, keep_alive: 10m }
    - { at: 100, model: A, duration: 1, keep_alive: 5m }
    - { at: 200, model: C, duration: 1 }
candidates:
  - { name: ollama }
  - { name: lru, policy: { eviction: lru } }
  - { name: cost, policy: { eviction: cost } }
`);
  const victim = (c: string) => only(all.get(c)!.events, 'mark').map((e) => e[2]);
  expect(victim('ollama')).toEqual(['A']); // 5m < 10m
  expect(victim('lru')).toEqual(['B']); // used at 11, A at 102
  expect(victim('cost')).toEqual(['A']); // 1 s per GiB to reload vs 10 s
  expect(all.get('lru')!.result.summary.eviction_order).toBe('lru (not Ollama)');
  expect(all.get('ollama')!.result.summary.eviction_order).toBe('ollama');
});
