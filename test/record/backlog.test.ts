/** The record backlog: recording work in order, a slice at a time between event-loop turns, never lost. */
import { describe, expect, test } from 'vitest';
import { Backlog } from '../../src/record/backlog.js';

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('Backlog', () => {
  test('runs jobs in order, a slice per turn of the event loop: a slow clock gives one job a slice', async () => {
    let t = 0;
    const ran: number[] = [];
    const b = new Backlog(() => (t += 1), 0.5);
    for (let i = 0; i < 4; i++) b.add(() => ran.push(i));
    expect(ran).toEqual([]);
    await turn();
    expect(ran).toEqual([0]);
    await turn();
    expect(ran).toEqual([0, 1]);
    b.drain();
    expect(ran).toEqual([0, 1, 2, 3]);
  });

  test('a fast clock empties the list in one slice; a job that throws costs only itself', async () => {
    const ran: number[] = [];
    const b = new Backlog(() => 0);
    b.add(() => ran.push(1));
    b.add(() => { throw new Error('disk full'); });
    b.add(() => ran.push(3));
    await turn();
    expect(ran).toEqual([1, 3]);
    b.add(() => ran.push(4));
    await turn();
    expect(ran).toEqual([1, 3, 4]);
  });

  test('a list that never empties under steady work still runs everything, in order', async () => {
    let t = 0;
    const ran: number[] = [];
    const b = new Backlog(() => (t += 1), 0.5);
    let n = 0;
    for (let k = 0; k < 3000; k++) {
      b.add(() => ran.push(n++));
      b.add(() => ran.push(n++));
      await turn();
    }
    b.drain();
    expect(ran).toEqual(Array.from({ length: 6000 }, (_, i) => i));
  });
});
