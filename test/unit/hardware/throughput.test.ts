import { describe, expect, test } from 'vitest';
import { gpuById } from '../../../src/hardware/gpus.js';
import { modelByTag } from '../../../src/hardware/models.js';
import { answerSeconds, offloadedDecode, perStreamFactor, ratesFor } from '../../../src/hardware/throughput.js';

const gpu = (id: string) => gpuById(id)!;
const model = (tag: string) => modelByTag(tag)!;

describe('decode and prefill rates against the cited table (field-notes §5)', () => {
  test.each([
    ['rtx-4090', 127.74, 6898.71], ['rtx-3090', 111.74, 3865.39], ['a100-80gb', 138.31, 5800.48],
    ['h100-pcie', 144.49, 7760.16], ['l40s', 113.6, 5908.52],
  ])('8B Q4_K_M on %s: %f t/s decode, %f t/s prompt (measured)', (id, decode, prefill) => {
    const r = ratesFor(gpu(id), model('llama3.1:8b'));
    expect(r.decode).toBeCloseTo(decode, 6);
    expect(r.prefill).toBeCloseTo(prefill, 6);
    expect(r.basis).toBe(`measured on ${id}`);
  });

  test.each([['a100-80gb', 22.11], ['h100-pcie', 25.01], ['l40s', 15.31]])('70B on %s within 25 % of the measured %f t/s', (id, measured) => {
    const r = ratesFor(gpu(id), model('llama3.1:70b'));
    expect(Math.abs(r.decode / measured - 1)).toBeLessThan(0.25);
  });

  test('an unmeasured GPU scales the nearest measured one by memory bandwidth (L4 ≈ 45–50 t/s in the notes)', () => {
    const r = ratesFor(gpu('l4'), model('llama3.1:8b'));
    expect(r.basis).toMatch(/scaled from/);
    expect(r.decode).toBeGreaterThan(30);
    expect(r.decode).toBeLessThan(60);
  });

  test('parallel streams: 4 users share 1.78× the single-user rate (servebench: 203 → 361 t/s in all)', () => {
    expect(4 * perStreamFactor(4)).toBeCloseTo(361 / 203, 1);
    expect(perStreamFactor(1)).toBe(1);
  });

  test('offloading layers to the CPU slows decoding toward the RAM-bandwidth bound', () => {
    const full = 20;
    expect(offloadedDecode(full, 40e9, 1)).toBe(full);
    const half = offloadedDecode(full, 40e9, 0.5);
    expect(half).toBeLessThan(full);
    expect(1 / half).toBeCloseTo(0.5 / full + 20e9 / 60e9, 9);
  });

  test('answer time = prompt ÷ prefill + output ÷ decode', () => {
    expect(answerSeconds(1000, 100, { prefill: 1000, decode: 50 })).toBe(3);
  });
});

describe('CPU-only hosts: cited CPU rates', () => {
  test('8B Q4_K_M: decode = 60 GB/s of RAM ÷ 4.9 GB ≈ 12.2 t/s (field notes §5), prefill 224 t/s (ik_llama.cpp#128); bigger is slower', async () => {
    const { cpuRates, CPU } = await import('../../../src/hardware/throughput.js');
    const r = cpuRates(model('llama3.1:8b'));
    expect(r.decode).toBeCloseTo(60e9 / 4.9e9, 6);
    expect(r.prefill).toBeCloseTo(224, 6);
    expect(CPU.source).toMatch(/field-notes §5.*ik_llama\.cpp#128/);
    const big = cpuRates(model('llama3.1:70b'));
    expect(big.decode).toBeLessThan(r.decode / 5);
    expect(big.prefill).toBeLessThan(r.prefill / 5);
    // Slower than any catalogue GPU on the same model.
    expect(r.decode).toBeLessThan(ratesFor(gpu('l4'), model('llama3.1:8b')).decode);
  });
});
