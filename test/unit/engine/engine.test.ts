import { describe, expect, test } from 'vitest';
import { Engine } from '../../../src/engine/index.js';

describe('engine: (time, priority, seq) order', () => {
  test('earlier time first; at equal times lower priority first; then FIFO', () => {
    const e = new Engine();
    const seen: number[] = [];
    e.schedule(10, 1, 0, 1);
    e.schedule(5, 9, 0, 2);
    e.schedule(10, 0, 0, 3);
    e.schedule(10, 1, 0, 4);
    e.schedule(10, 0, 0, 5);
    e.run((_k, a) => seen.push(a), null);
    expect(seen).toEqual([2, 3, 5, 1, 4]);
  });

  test('cancelled events never fire; the heap grows past its initial size', () => {
    const e = new Engine();
    const handles = Array.from({ length: 5000 }, (_, i) => e.schedule(5000 - i, 0, 0, i));
    for (let i = 0; i < 5000; i += 2) e.cancel(handles[i]!);
    const seen: number[] = [];
    e.run((_k, a) => seen.push(a), null);
    expect(seen).toHaveLength(2500);
    expect(seen[0]).toBe(4999);
    expect(seen.every((a) => a % 2 === 1)).toBe(true);
  });

  test('arrivals go after heap events at the same time, and stop at `until`', () => {
    const e = new Engine();
    const seen: string[] = [];
    const at = [0, 10, 10, 30];
    let i = 0;
    e.schedule(10, 0, 0, 0);
    e.schedule(25, 0, 0, 1);
    const end = e.run((_k, a) => seen.push(`ev${a}@${e.now}`), {
      peekTime: () => (i < at.length ? at[i]! : Infinity),
      deliver: () => { seen.push(`arr${i}@${e.now}`); i++; },
    }, 26);
    expect(seen).toEqual(['arr0@0', 'ev0@10', 'arr1@10', 'arr2@10', 'ev1@25']);
    expect(end).toBe(25);
  });

  test('scheduling in the past is a bug', () => {
    const e = new Engine();
    e.schedule(10, 0, 0, 0);
    e.run(() => expect(() => e.schedule(5, 0, 0, 0)).toThrow(/past/), null);
  });
});
