import { describe, expect, test } from 'vitest';
import { selectPlacement } from '../../../src/ollama/placement.js';

const G = 2 ** 30;
const used = (...gib: number[]) => Float64Array.from(gib, (g) => g * G);

describe('§5.2c / §5.5 placement and the 80 % preflight', () => {
  test('fits alongside when P ≤ 0.8 × free (scenario 15)', () => {
    expect(selectPlacement(30 * G, 30 * G, [80 * G], used(20), false, false)).toEqual({ gpuShare: [30 * G] });
  });

  test('P > 0.8 × free with others loaded → no placement, evict (scenario 16)', () => {
    expect(selectPlacement(35 * G, 35 * G, [80 * G], used(40), false, false)).toBeNull();
  });

  test('nothing loaded: loads unchecked, the excess offloaded to the CPU (scenario 25)', () => {
    expect(selectPlacement(100 * G, 100 * G, [80 * G], used(0), false, true)).toEqual({ gpuShare: [80 * G] });
  });

  test('multi-GPU: the single GPU with most free memory that fits; ties go to the first (scenario 30)', () => {
    expect(selectPlacement(50 * G, 50 * G, [80 * G, 80 * G], used(0, 0), false, true)).toEqual({ gpuShare: [50 * G, 0] });
    expect(selectPlacement(50 * G, 50 * G, [80 * G, 80 * G], used(50, 0), false, false)).toEqual({ gpuShare: [0, 50 * G] });
  });

  test('no single GPU fits: split over all, checked against the sum (scenario 30)', () => {
    expect(selectPlacement(100 * G, 100 * G, [80 * G, 80 * G], used(0, 0), false, true)).toEqual({ gpuShare: [50 * G, 50 * G] });
    expect(selectPlacement(40 * G, 40 * G, [80 * G, 80 * G], used(50, 50), false, false)).toEqual({ gpuShare: [20 * G, 20 * G] });
    expect(selectPlacement(50 * G, 50 * G, [80 * G, 80 * G], used(50, 50), false, false)).toBeNull();
  });

  test('OLLAMA_SCHED_SPREAD splits even a model that fits one GPU', () => {
    expect(selectPlacement(50 * G, 50 * G, [80 * G, 80 * G], used(0, 0), true, true)).toEqual({ gpuShare: [25 * G, 25 * G] });
  });

  test('CPU-only host: alongside, no check (scenario 26)', () => {
    expect(selectPlacement(500 * G, 500 * G, [], used(), false, false)).toEqual({ gpuShare: [] });
  });
});
