import { describe, expect, test } from 'vitest';
import { poissonWorld } from '../../../bench/oracle.js';
import { erlangC } from '../../../src/metrics/queueing.js';
import { plan } from '../../../src/plan/plan.js';
import { parseSlo } from '../../../src/plan/slo.js';
import { gather, sweepTasks } from '../../../src/plan/sweep.js';
import { runScenario } from '../../../src/sim/run-scenario.js';
import { scaleTrace } from '../../../src/workload/scale.js';

describe('objectives', () => {
  test('parsing: seconds, milliseconds, minutes, shares', () => {
    expect(parseSlo('p95<=3s')).toEqual({ text: 'p95<=3s', figure: 'latency_p95_s', limit: 3 });
    expect(parseSlo('ttft_p99 <= 500ms')).toMatchObject({ figure: 'ttft_p99_s', limit: 0.5 });
    expect(parseSlo('failures<=0.1%')).toMatchObject({ figure: 'failure_share', limit: 0.001 });
    expect(parseSlo('p95<=2m')!.limit).toBe(120);
    expect(parseSlo('failures<=3s')).toBeNull();
    expect(parseSlo('p96<=3s')).toBeNull();
    expect(parseSlo('p95[llama3.1:8b]<=3s')).toEqual({ text: 'p95[llama3.1:8b]<=3s', figure: 'models.llama3.1:8b.latency_p95_s', limit: 3 });
    expect(parseSlo('cold[a]<=5%')).toMatchObject({ figure: 'models.a.cold_share', limit: 0.05 });
    expect(parseSlo('failures[a]<=1%')).toBeNull(); // not a per-model figure
  });

  test('a per-model objective judges that model alone', async () => {
    const { broken } = await import('../../../src/plan/slo.js');
    const est = (mean: number) => ({ mean, ci95: 0, n: 1 });
    const slo = parseSlo('p95[a]<=3s')!;
    expect(broken([slo], { 'models.a.latency_p95_s': est(2), latency_p95_s: est(9) })).toBeNull();
    expect(broken([slo], { 'models.a.latency_p95_s': est(4), latency_p95_s: est(1) })).toBe(slo);
  });
});

describe('the planner on a world solved by hand', () => {
  test('one model, Poisson traffic: the cheapest NUM_PARALLEL meeting a p95 wait is the one the M/M/c formula gives', () => {
    // λ = 3/s, exponential service of mean 1 s: with c slots the wait exceeds t with probability C(c, 3)·e^−(c−3)t.
    const lambda = 3;
    const t95 = (c: number) => Math.max(0, Math.log(erlangC(c, lambda) / 0.05) / (c - lambda));
    const cs = [4, 5, 6, 7, 8];
    const answer = cs.find((c) => t95(c) <= 1)!;
    expect(answer).toBe(5); // t95(4) ≈ 2.3 s, t95(5) ≈ 0.7 s
    const base = poissonWorld({ n: 100_000, lambda, service: 1, exponential: true, slots: 1, keepAlive: '-1', warm: true, seed: 3 });
    const sc = { ...base, candidates: cs.map((c) => ({ ...base.candidates[0]!, name: `OLLAMA_NUM_PARALLEL=${c}`, server: { ...base.candidates[0]!.server, OLLAMA_NUM_PARALLEL: c } })) };
    const results = runScenario(sc).map((r) => r.summary);
    const sweep = gather(sc, [{ key: 'OLLAMA_NUM_PARALLEL', values: cs }], [1], sweepTasks(cs.length, 1), results);
    const p = plan(sweep, [parseSlo('ttft_p95<=1s')!], 'hour', (v) => Number(v.OLLAMA_NUM_PARALLEL));
    expect(p.best?.candidate).toBe(`OLLAMA_NUM_PARALLEL=${answer}`);
    expect(p.rejected.map((c) => [c.candidate, c.broken?.text])).toEqual([['OLLAMA_NUM_PARALLEL=4', 'ttft_p95<=1s']]);
    expect(p.frontier[0]!.candidate).toBe('OLLAMA_NUM_PARALLEL=4');
  });
});

describe('rate scaling keeps the shape of the traffic', () => {
  test('×0.5 keeps about half, ×2.5 about two and a half times, in time order', () => {
    const sc = poissonWorld({ n: 20_000, lambda: 1, service: 0.1, exponential: false, slots: 1, keepAlive: '-1', seed: 5 });
    const half = scaleTrace(sc.trace, 0.5, 1);
    const more = scaleTrace(sc.trace, 2.5, 1);
    expect(half.length / sc.trace.length).toBeCloseTo(0.5, 1);
    expect(more.length / sc.trace.length).toBeCloseTo(2.5, 1);
    for (let i = 1; i < more.length; i++) expect(more.at[i]!).toBeGreaterThanOrEqual(more.at[i - 1]!);
    expect(more.at[more.length - 1]).toBe(sc.trace.at[sc.trace.length - 1]);
  });
});
