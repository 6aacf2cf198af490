/** Engine.advanceTo and nextTime: the small API a wall-clock driver (serve) uses. */
import { expect, test } from 'vitest';
import { Engine } from '../../../src/engine/index.js';

test('advanceTo handles what is due by t, leaves later events, and sets the clock to t', () => {
  const e = new Engine();
  const seen: [number, number][] = [];
  const h = (kind: number) => seen.push([e.now, kind]);
  e.schedule(10, 0, 1, 0);
  e.schedule(20, 0, 2, 0);
  e.schedule(30, 0, 3, 0);
  expect(e.nextTime()).toBe(10);
  e.advanceTo(h, 20);
  expect(seen).toEqual([[10, 1], [20, 2]]);
  expect(e.now).toBe(20);
  expect(e.nextTime()).toBe(30);
  e.advanceTo(h, 25);
  expect(e.now).toBe(25);
  // An arrival injected now may schedule at now; the next advance to the same instant handles it.
  e.schedule(25, 0, 4, 0);
  e.advanceTo(h, 25);
  expect(seen.at(-1)).toEqual([25, 4]);
  // Never backwards.
  e.advanceTo(h, 5);
  expect(e.now).toBe(25);
  e.advanceTo(h, Infinity);
  expect(seen.at(-1)).toEqual([30, 3]);
  expect(e.nextTime()).toBe(Infinity);
  expect(e.now).toBe(30);
});
