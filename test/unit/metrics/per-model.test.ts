import { describe, expect, test } from 'vitest';
import { DEFAULTS, runYaml } from '../../helpers/run-yaml.js';

const HOUR = 3600;

/** a loads 0–5 s, busy to 15 s, idle after; b loads 30–32 s, busy to 37 s (the window end). */
const TWO_MODELS = `${DEFAULTS}
models: { a: { vram: 10GiB, load: 5s }, b: { vram: 4GiB, load: 2s } }
workload:
  requests:
    - { at: 0, model: a, duration: 10 }
    - { at: 30, model: b, duration: 5 }
`;

describe('per-model figures', () => {
  test('resident and idle GiB-hours per model, over the traffic window, add up to the candidate\'s', async () => {
    const [rec] = [...(await runYaml(TWO_MODELS)).values()];
    const s = rec!.result.summary;
    const a = s.models.a!;
    const b = s.models.b!;
    expect(s.window_s).toBe(37);
    expect(a.resident_gib_hours).toBeCloseTo((10 * 37) / HOUR, 6);
    expect(a.idle_resident_gib_hours).toBeCloseTo((10 * 22) / HOUR, 6);
    expect(b.resident_gib_hours).toBeCloseTo((4 * 7) / HOUR, 6);
    expect(b.idle_resident_gib_hours).toBe(0);
    expect(a.resident_gib_hours + b.resident_gib_hours).toBeCloseTo(s.resident_gib_hours, 5);
    expect(a.idle_resident_gib_hours + b.idle_resident_gib_hours).toBeCloseTo(s.idle_resident_gib_hours, 5);
  });

  test('TTFT (start − arrival) per model: the cold load each one waited for', async () => {
    const [rec] = [...(await runYaml(TWO_MODELS)).values()];
    const { a, b } = rec!.result.summary.models;
    expect([a!.ttft_p50_s, a!.ttft_p99_s, b!.ttft_p50_s]).toEqual([5, 5, 2]);
    expect(a!.loads_per_hour).toBeCloseTo(HOUR / 37, 4);
  });

  test('a warm-up leaves its memory out too', async () => {
    const [rec] = [...(await runYaml(`${TWO_MODELS}\nwarmup: 20s\n`)).values()];
    const s = rec!.result.summary;
    expect(s.models.a!.resident_gib_hours).toBeCloseTo((10 * 17) / HOUR, 6);
    expect(s.models.a!.idle_resident_gib_hours).toBeCloseTo((10 * 17) / HOUR, 6);
    expect(s.models.a!.resident_gib_hours + s.models.b!.resident_gib_hours).toBeCloseTo(s.resident_gib_hours, 5);
  });

  test('failures by cause per model add up to the candidate\'s (503 queue full, 499 client timeout)', async () => {
    const [rec] = [...(await runYaml(`${DEFAULTS}
server: { OLLAMA_MAX_QUEUE: 1 }
models: { a: { vram: 10GiB, load: 5s }, b: { vram: 4GiB, load: 2s } }
workload:
  requests:
    - { at: 0, model: a, duration: 10 }
    - { at: 0, model: b, duration: 1 }
    - { at: 0, model: b, duration: 1 }
    - { at: 1, model: a, duration: 1, timeout: 2 }
`)).values()];
    const s = rec!.result.summary;
    const m = Object.values(s.models);
    for (const f of ['rejected_503', 'rejected_400', 'failed_500', 'cancelled', 'stuck'] as const) {
      expect(m.reduce((x, y) => x + y[f], 0), f).toBe(s[f]);
    }
    expect(s.rejected_503 + s.cancelled).toBeGreaterThan(0);
  });

  test('a fleet folds every host\'s runners of a model into that model', async () => {
    const [rec] = [...(await runYaml(`${DEFAULTS}
models: { a: { vram: 10GiB, load: 5s } }
fleet: { hosts: 2, router: round-robin }
workload:
  requests:
    - { at: 0, model: a, duration: 10 }
    - { at: 0, model: a, duration: 10 }
`)).values()];
    const s = rec!.result.summary;
    expect(s.loads).toBe(2);
    expect(s.models.a!.resident_gib_hours).toBeCloseTo((2 * 10 * 15) / HOUR, 6);
    expect(s.models.a!.resident_gib_hours).toBeCloseTo(s.resident_gib_hours, 6);
  });
});
