import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { ramWarnings } from '../../src/io/run-outputs.js';
import { runScenario } from '../../src/sim/run-scenario.js';
import { figures, runSummaries, sweepCells, withValue, writeScenario, type Scenario } from '../helpers/whatif.js';

describe('CPU-only hosts (spec §5.2c, scenario 26)', () => {
  const CPU: Scenario = {
    name: 'cpu box',
    host: { gpus: [], ram: '16GiB' },
    models: { a: { vram: '6GiB', load: '2s' }, b: { vram: '6GiB', load: '2s' }, c: { vram: '6GiB', load: '2s' } },
    workload: { requests: ['a', 'b', 'c'].map((model, i) => ({ at: i, model, duration: 10 })) },
  };

  test('runners load unchecked beyond system RAM; the summary warns instead of refusing', async () => {
    const sc = await loadScenario(writeScenario(CPU));
    const [r] = runScenario(sc);
    expect(r!.summary).toMatchObject({ ok: 3, loads: 3, evictions: 0, cpu_peak_gib: 18 });
    expect(ramWarnings(sc, [r!.summary])).toEqual([expect.stringMatching(/runners held 18\.0 GiB on the CPU, more than the host's 16\.0 GiB of RAM/)]);
    // Within RAM: no warning.
    const roomy = await loadScenario(writeScenario({ ...CPU, host: { gpus: [], ram: '64GiB' } }));
    expect(ramWarnings(roomy, runScenario(roomy).map((x) => x.summary))).toEqual([]);
  });

  test('a catalogue model on a CPU-only host gets the CPU\'s cited rates: slower than any GPU', async () => {
    const day: Scenario = {
      name: 'cpu tokens', host: { gpu: 'l4' }, models: { 'llama3.1:8b': {} },
      workload: { requests: [{ at: 0, model: 'llama3.1:8b', prompt_tokens: 500, output_tokens: 200 }] },
    };
    const [gpu] = await runSummaries(day);
    const [cpu] = await runSummaries(withValue(day, 'host.count', 0));
    // 8B on the CPU: 200 ÷ (60 GB/s ÷ 4.9 GB) + 500 ÷ 224 ≈ 18.6 s of work, after a load from NVMe.
    expect(cpu!.latency_p50_s! - gpu!.latency_p50_s!).toBeGreaterThan(10);
  });
});

describe('workload.measured_on: explicit durations scaled to other hardware', () => {
  const MEASURED: Scenario = {
    name: 'measured',
    host: { gpu: 'rtx-4090' },
    models: { m: { vram: '6GiB', load: '1s' } },
    workload: { measured_on: 'rtx-4090', requests: Array.from({ length: 20 }, (_, i) => ({ at: i * 30, model: 'm', duration: 10 })) },
  };

  test('on the GPU it was measured on, a duration is exact; on a faster one, shorter; without measured_on, the same', async () => {
    const cells = await sweepCells(MEASURED, 'host.gpu', ['rtx-4090', 'h100-sxm', 'l4']);
    const [unscaled] = await runSummaries({ ...MEASURED, workload: { requests: (MEASURED.workload as Scenario).requests } });
    expect(figures(cells.get('host.gpu=rtx-4090')!)).toEqual(figures(unscaled!));
    const p50 = (k: string) => cells.get(k)!.latency_p50_s!;
    expect(p50('host.gpu=h100-sxm')).toBeLessThan(p50('host.gpu=rtx-4090'));
    expect(p50('host.gpu=l4')).toBeGreaterThan(p50('host.gpu=rtx-4090'));
  });

  test('closed-loop users\' drawn durations are scaled too', async () => {
    const users: Scenario = {
      name: 'users', host: { gpu: 'rtx-4090' }, models: { m: { vram: '6GiB', load: '1s' } },
      workload: { measured_on: 'rtx-4090', synthetic: { length: '1h', users: { count: 2, models: ['m'], think_time: '30s', duration: 10 } } },
    };
    const cells = await sweepCells(users, 'host.gpu', ['rtx-4090', 'h100-sxm']);
    const [own, fast] = [...cells.values()];
    expect(own!.latency_p50_s).toBeCloseTo(10, 1);
    expect(fast!.latency_p50_s!).toBeLessThan(8);
  });

  test('an unknown measured_on is one line at its field', async () => {
    await expect(loadScenario(writeScenario({ ...MEASURED, workload: { ...(MEASURED.workload as Scenario), measured_on: 'rtx4090' } })))
      .rejects.toThrow(/:\d+: workload\.measured_on: unknown GPU "rtx4090" \(did you mean rtx-4090/);
  });

  test('without measured_on, a sweep over GPU types says the GPU type changes only memory and load times', async () => {
    const plain = await loadScenario(writeScenario({ ...MEASURED, workload: { requests: (MEASURED.workload as Scenario).requests }, sweep: { 'host.gpu': ['rtx-4090', 'l4'] } }));
    expect(plain.warnings.join('\n')).toMatch(/the GPU type changes only memory and load times/);
    const measured = await loadScenario(writeScenario({ ...MEASURED, sweep: { 'host.gpu': ['rtx-4090', 'l4'] } }));
    expect(measured.warnings).toEqual([]);
  });
});
