import { describe, expect, test } from 'vitest';
import { findRunnerToUnload } from '../../../src/ollama/find-runner-to-unload.js';
import { FOREVER } from '../../../src/ollama/keep-alive.js';
import { RunnerRef } from '../../../src/ollama/runner-ref.js';

const names = ['alpha', 'beta', 'gamma', 'delta'];
function runner(key: number, duration: number, refCount = 0): RunnerRef {
  const r = new RunnerRef(key, key, key, 1, [1], 0, true, 1);
  r.sessionDuration = duration;
  r.refCount = refCount;
  return r;
}

describe('§5.3 findRunnerToUnload: (duration, key) order, idle first, not LRU', () => {
  test('shortest duration first; 0 before everything, forever last', () => {
    const loaded = [runner(0, 600e6), runner(1, FOREVER), runner(2, 0), runner(3, 300e6)];
    expect(findRunnerToUnload(loaded, names)?.key).toBe(2);
    expect(findRunnerToUnload([loaded[0]!, loaded[1]!, loaded[3]!], names)?.key).toBe(3);
    expect(findRunnerToUnload([null, loaded[1]!, null], names)?.key).toBe(1);
  });

  test('equal durations: the smaller key name goes first (spec §9.5)', () => {
    expect(findRunnerToUnload([runner(1, 300e6), runner(0, 300e6)], names)?.key).toBe(0);
    expect(findRunnerToUnload([runner(3, 300e6), runner(2, 300e6)], names)?.key).toBe(3); // "delta" < "gamma"
  });

  test('an idle runner beats a busy one that sorts earlier (scenario 22)', () => {
    expect(findRunnerToUnload([runner(0, 60e6, 1), runner(1, 3600e6, 0)], names)?.key).toBe(1);
  });

  test('all busy: the first in order, busy as it is', () => {
    expect(findRunnerToUnload([runner(1, 3600e6, 2), runner(0, 60e6, 1)], names)?.key).toBe(0);
  });

  test('nothing loaded: no victim', () => {
    expect(findRunnerToUnload([null, null], names)).toBeNull();
  });
});

test('the one-pass choice is the sorted list\'s first idle runner, else its first — for Ollama\'s order, the pre-0.6.6 one and the what-if ones (random tables)', async () => {
  const fc = await import('fast-check');
  const { byDurationAndName } = await import('../../../src/ollama/find-runner-to-unload.js');
  const { byDurationRandomTies } = await import('../../../src/ollama/victim-ties.js');
  const { victimOrder } = await import('../../../src/whatif/eviction-orders.js');
  const orders = [byDurationAndName, byDurationRandomTies, victimOrder('lru')!, victimOrder('cost')!];
  const reference = (loaded: (RunnerRef | null)[], order: (typeof orders)[number]) => {
    const sorted = loaded.filter((r): r is RunnerRef => r !== null).sort((a, b) => order(a, b, names));
    return sorted.find((r) => r.refCount === 0) ?? sorted[0] ?? null;
  };
  fc.assert(fc.property(
    fc.array(fc.option(fc.record({ d: fc.constantFrom(0, 60e6, 300e6, FOREVER), refs: fc.integer({ min: 0, max: 2 }), used: fc.integer({ min: 0, max: 5 }) })), { maxLength: 4 }),
    fc.integer({ min: 0, max: 3 }),
    (rows, o) => {
      const loaded = rows.map((x, key) => {
        if (!x) return null;
        const r = runner(key, x.d, x.refs);
        r.lastUsed = x.used;
        return r;
      });
      expect(findRunnerToUnload(loaded, names, orders[o])).toBe(reference(loaded, orders[o]!));
    },
  ), { numRuns: 3000, seed: 16 });
});
