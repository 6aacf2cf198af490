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
