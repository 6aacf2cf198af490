import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { rngStream } from '../../../src/engine/index.js';
import { arrivals, draw, gamma } from '../../../src/workload/generators.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { parseRate } from '../../../src/config/synthetic.js';

const cv = (xs: number[]) => {
  const gaps = xs.slice(1).map((x, i) => x - xs[i]!);
  const m = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const v = gaps.reduce((a, b) => a + (b - m) ** 2, 0) / gaps.length;
  return Math.sqrt(v) / m;
};
const flat = () => 1;

describe('arrival processes at fixed seeds (tolerances stated per test)', () => {
  test('poisson: 100 000 s at 1/s gives 100 000 ± 1 % arrivals, inter-arrival CV 1 ± 0.02', () => {
    const t = arrivals(rngStream(1, 'p'), { kind: 'poisson' }, 1, 100_000, flat, 1);
    expect(Math.abs(t.length / 100_000 - 1)).toBeLessThan(0.01);
    expect(Math.abs(cv(t) - 1)).toBeLessThan(0.02);
  });
  test('gamma cv 3: mean rate ± 3 %, CV 3 ± 0.15', () => {
    const t = arrivals(rngStream(1, 'g'), { kind: 'gamma', cv: 3 }, 1, 200_000, flat, 1);
    expect(Math.abs(t.length / 200_000 - 1)).toBeLessThan(0.03);
    expect(Math.abs(cv(t) - 3)).toBeLessThan(0.15);
  });
  test('gamma cv 0.5 is smoother than Poisson: CV 0.5 ± 0.02', () => {
    const t = arrivals(rngStream(1, 'g2'), { kind: 'gamma', cv: 0.5 }, 1, 100_000, flat, 1);
    expect(Math.abs(cv(t) - 0.5)).toBeLessThan(0.02);
  });
  test('onoff (on 60 s, off 240 s): mean rate ± 5 %, bursty (CV > 1.5)', () => {
    const t = arrivals(rngStream(1, 'o'), { kind: 'onoff', on: 60, off: 240 }, 1, 300_000, flat, 1);
    expect(Math.abs(t.length / 300_000 - 1)).toBeLessThan(0.05);
    expect(cv(t)).toBeGreaterThan(1.5);
  });
  test('gamma(k) sample mean is k ± 2 %', () => {
    const r = rngStream(3, 'k');
    for (const k of [0.3, 1, 4]) {
      let s = 0;
      for (let i = 0; i < 50_000; i++) s += gamma(r, k);
      expect(Math.abs(s / 50_000 / k - 1)).toBeLessThan(0.02);
    }
  });
});

describe('length distributions', () => {
  test('lognormal by median and p95: empirical median and p95 within 3 %', () => {
    const r = rngStream(1, 'l');
    const xs = Array.from({ length: 40_000 }, () => draw(r, { median: 500, p95: 4000 })).sort((a, b) => a - b);
    expect(Math.abs(xs[20_000]! / 500 - 1)).toBeLessThan(0.03);
    expect(Math.abs(xs[38_000]! / 4000 - 1)).toBeLessThan(0.03);
  });
  test('uniform stays in range, fixed is fixed', () => {
    const r = rngStream(1, 'u');
    for (let i = 0; i < 1000; i++) {
      const x = draw(r, { uniform: [10, 20] });
      expect(x >= 10 && x <= 20).toBe(true);
    }
    expect(draw(r, { fixed: 7 })).toBe(7);
  });
});

function scenario(workload: string): Promise<Awaited<ReturnType<typeof loadScenario>>> {
  const d = mkdtempSync(join(tmpdir(), 'ollamasim-syn-'));
  writeFileSync(join(d, 's.yaml'), `seed: 7
host: { gpus: [ { vram: 80GiB } ] }
models:
  a: { vram: 5GiB, load: 5s, prefill_tps: 2000, decode_tps: 50 }
  b: { vram: 5GiB, load: 5s }
  c: { vram: 5GiB, load: 5s }
workload:
${workload}`);
  return loadScenario(join(d, 's.yaml'));
}

describe('workload.synthetic in a scenario', () => {
  test('rates parse with units', () => {
    expect(parseRate('120/h')).toBeCloseTo(120 / 3600);
    expect(parseRate('2/s')).toBe(2);
    expect(parseRate(60)).toBeCloseTo(60 / 3600);
    expect(parseRate('fast')).toBeNull();
  });

  test('diurnal: mean rate holds over a week (± 5 %), the peak hour is busier than the trough by the ratio (± 30 %)', async () => {
    const sc = await scenario(`  synthetic:
    length: 168h
    models:
      b: { rate: 300/h, peak_hour: 14, trough: 0.1, duration: { median: 2, p95: 8 } }
`);
    const n = sc.trace.length;
    expect(Math.abs(n / (300 * 168) - 1)).toBeLessThan(0.05);
    const perHour = new Array(24).fill(0) as number[];
    for (const t of sc.trace.at) perHour[Math.floor(t / 3600e6) % 24]!++;
    expect(perHour[14]! > perHour[13]! * 0.9 && perHour[14]! > perHour[2]! * 5).toBe(true);
    expect(Math.abs(perHour[2]! / perHour[14]! / 0.1 - 1)).toBeLessThan(0.3);
  });

  test('a 24-value profile: a zero hour has no requests', async () => {
    const profile = Array.from({ length: 24 }, (_, h) => (h >= 9 && h < 17 ? 10 : 0));
    const sc = await scenario(`  synthetic:
    models:
      b: { rate: 200/h, profile: [${profile.join(', ')}], duration: 1 }
`);
    for (const t of sc.trace.at) {
      const h = Math.floor(t / 3600e6);
      expect(h >= 9 && h < 17).toBe(true);
    }
    expect(Math.abs(sc.trace.length / (200 * 24) - 1)).toBeLessThan(0.05);
  });

  test('tokens → duration through the model rates; zipf over three models orders them by rank; same seed, same trace', async () => {
    const text = `  synthetic:
    models:
      a: { rate: 100/h, prompt_tokens: 1000, output_tokens: 100 }
    zipf: { models: [b, c], s: 1, rate: 600/h, duration: { uniform: [1, 3] } }
`;
    const sc = await scenario(text);
    const i = sc.trace.model.indexOf(0);
    expect(sc.trace.duration[i]).toBe(Math.round((1000 / 2000 + 100 / 50) * 1e6));
    const count = (m: number) => sc.trace.model.filter((x) => x === m).length;
    // Zipf s = 1 over 2: 2/3 and 1/3 of 14 400.
    expect(Math.abs(count(1) / 9600 - 1)).toBeLessThan(0.05);
    expect(Math.abs(count(2) / 4800 - 1)).toBeLessThan(0.05);
    const again = await scenario(text);
    expect([...again.trace.at]).toEqual([...sc.trace.at]);
    expect([...again.trace.duration]).toEqual([...sc.trace.duration]);
  });
});
