import { describe, expect, test } from 'vitest';
import { type Fit, selectPlacement } from '../../../src/ollama/placement.js';

const G = 2 ** 30;
const used = (...gib: number[]) => Float64Array.from(gib, (g) => g * G);
/** A model of fixed size (no batch surcharge): predicted = actual = gib. */
const sized = (gib: number, surcharge = 0): Fit => ({ predicted: gib * G, surcharge: () => surcharge * G, actual: (p) => p });
const shares = (p: ReturnType<typeof selectPlacement>) => p?.gpuShare.map((b) => b / G) ?? null;

describe('§5.2c / §5.5 placement and the 80 % pre-flight', () => {
  test('fits alongside when P ≤ 0.8 × free (scenario 15)', () => {
    expect(shares(selectPlacement(sized(30), [80 * G], used(20), false, false))).toEqual([30]);
  });

  test('P > 0.8 × free with others loaded → no placement, evict (scenario 16)', () => {
    expect(selectPlacement(sized(35), [80 * G], used(40), false, false)).toBeNull();
  });

  test('the batch surcharge counts in the pre-flight but not in the choice of GPU', () => {
    expect(shares(selectPlacement(sized(30, 2), [80 * G], used(40), false, false))).toEqual([32]);
    expect(selectPlacement(sized(31, 2), [80 * G], used(40), false, false)).toBeNull(); // 33 > 32
  });

  test('nothing loaded: loads unchecked, the excess offloaded to the CPU (scenario 25)', () => {
    const p = selectPlacement(sized(100), [80 * G], used(0), false, true);
    expect(shares(p)).toEqual([80]);
    expect(p!.vram / G).toBe(100);
  });

  test('multi-GPU: the single GPU with most free memory that fits; ties go to the first (scenario 30)', () => {
    expect(shares(selectPlacement(sized(50), [80 * G, 80 * G], used(0, 0), false, true))).toEqual([50, 0]);
    expect(shares(selectPlacement(sized(50), [80 * G, 80 * G], used(50, 0), false, false))).toEqual([0, 50]);
  });

  test('no single GPU fits: split over all, checked against the sum (scenario 30)', () => {
    expect(shares(selectPlacement(sized(100), [80 * G, 80 * G], used(0, 0), false, true))).toEqual([50, 50]);
    expect(shares(selectPlacement(sized(40), [80 * G, 80 * G], used(50, 50), false, false))).toEqual([20, 20]);
    expect(selectPlacement(sized(50), [80 * G, 80 * G], used(50, 50), false, false)).toBeNull();
  });

  test('OLLAMA_SCHED_SPREAD splits even a model that fits one GPU (scenario 30)', () => {
    expect(shares(selectPlacement(sized(50), [80 * G, 80 * G], used(0, 0), true, true))).toEqual([25, 25]);
  });

  test('CPU-only host: alongside, no check (scenario 26)', () => {
    expect(shares(selectPlacement(sized(500), [], used(), false, false))).toEqual([]);
  });
});

test('placementExists answers exactly whether selectPlacement finds a placement (the detector asks it instead), on random hosts', async () => {
  const fc = await import('fast-check');
  const { placementExists } = await import('../../../src/ollama/placement.js');
  const gib = fc.integer({ min: 0, max: 96 });
  fc.assert(fc.property(
    fc.array(gib, { maxLength: 4 }), fc.array(gib, { maxLength: 4 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 8 }),
    fc.boolean(), fc.boolean(), fc.constantFrom(-1, 0, 0.5, 1), fc.constantFrom(Infinity, 40 * G), fc.constantFrom(0.8, 1), fc.boolean(),
    (gpus, taken, size, surcharge, spread, nothingLoaded, fraction, systemFree, threshold, cpuRamCheck) => {
      const g = gpus.map((x) => x * G);
      const u = Float64Array.from(g, (_, i) => Math.min(g[i]!, (taken[i] ?? 0) * G));
      const rules = { threshold, overhead: 0, cpuRamCheck };
      const args = [sized(size, surcharge), g, u, spread, nothingLoaded, systemFree, fraction, rules] as const;
      expect(placementExists(...args)).toBe(selectPlacement(...args) !== null);
    },
  ), { numRuns: 2000, seed: 16 });
});
