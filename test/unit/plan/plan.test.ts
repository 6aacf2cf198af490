import { describe, expect, test } from 'vitest';
import { poissonWorld } from '../../../bench/oracle.js';
import { erlangC } from '../../../src/metrics/queueing.js';
import type { CandidateSummary } from '../../../src/metrics/index.js';
import type { Estimate } from '../../../src/plan/confidence.js';
import { plan } from '../../../src/plan/plan.js';
import type { SweepResult } from '../../../src/plan/sweep.js';
import { planText } from '../../../src/report/plan.js';
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

/** A sweep result built by hand: each cell's estimates, and how many runs it had. */
function sweepOf(cells: { name: string; est: Record<string, Estimate>; runs?: number }[]): SweepResult {
  return {
    scenario: 's', seed: 7, replications: Math.max(...cells.map((c) => c.runs ?? 1)), seeds: [7], axes: [], warnings: [],
    cells: cells.map((c, i) => ({ cell: i, candidate: c.name, runs: Array.from({ length: c.runs ?? 1 }, () => ({}) as CandidateSummary), estimates: c.est })),
  };
}
const one = (mean: number, ci95 = 0, n = 1): Estimate => ({ mean, ci95, n });
const byName = (prices: Record<string, number>) => (v: Record<string, string>) => prices[v.g!] ?? null;

describe('honest verdicts', () => {
  const slos = [parseSlo('p95<=3s')!, parseSlo('failures<=1%')!];

  test('every objective a configuration breaks is listed, not only the first', () => {
    const p = plan(sweepOf([
      { name: 'g=a', est: { latency_p95_s: one(5), failure_share: one(0.05) } },
      { name: 'g=b', est: { latency_p95_s: one(2), failure_share: one(0) } },
    ]), slos, 'hour', byName({ a: 1, b: 2 }));
    expect(p.best?.candidate).toBe('g=b');
    expect(p.rejected[0]!.brokenAll.map((s) => s.text)).toEqual(['p95<=3s', 'failures<=1%']);
    expect(planText(p)).toContain('g=a: broke p95<=3s (5.00 s), failures<=1% (5.00 %)');
  });

  test('one replication: the verdict is one deterministic run — no "95 % confidence", no "± 0.00"', () => {
    const p = plan(sweepOf([{ name: 'g=a', est: { latency_p95_s: one(5), failure_share: one(0) } }, { name: 'g=b', est: { latency_p95_s: one(2), failure_share: one(0) } }]), slos, 'hour', byName({ a: 1, b: 2 }));
    const text = planText(p);
    expect(p.confidence).toEqual({ kind: 'one-run', replications: 1, seed: 7 });
    expect(text).toContain('Each verdict comes from one deterministic run per configuration: one replication (seed 7)');
    expect(text).not.toContain('95 %');
    expect(text).not.toContain('±');
  });

  test('replications that all agree (a replayed trace): still one deterministic run; replications that vary: 95 % confidence and ±', () => {
    const same = plan(sweepOf([{ name: 'g=a', est: { latency_p95_s: one(5, 0, 3), failure_share: one(0, 0, 3) }, runs: 3 }]), slos, 'hour', byName({ a: 1 }));
    expect(same.confidence.kind).toBe('deterministic');
    expect(planText(same)).toContain('its 3 replications gave identical figures');
    expect(planText(same)).not.toMatch(/95 %|±/);
    const varied = plan(sweepOf([
      { name: 'g=a', est: { latency_p95_s: one(5, 0.4, 3), failure_share: one(0, 0, 3) }, runs: 3 },
      { name: 'g=b', est: { latency_p95_s: one(2, 0.1, 3), failure_share: one(0, 0, 3) }, runs: 3 },
    ]), slos, 'hour', byName({ a: 1, b: 2 }));
    expect(varied.confidence.kind).toBe('interval');
    expect(planText(varied)).toContain('met with 95 % confidence');
    expect(planText(varied)).toContain('g=a: broke p95<=3s (5.00 s ± 0.40)');
  });

  test('nothing meets the objectives: why, with the floor the work itself sets — and a limit above the floor moves the answer', () => {
    const cells = (limit: string) => plan(sweepOf([
      { name: 'g=slow', est: { latency_p95_s: one(40), service_p95_s: one(31), ttft_p95_s: one(9), failure_share: one(0) } },
      { name: 'g=fast', est: { latency_p95_s: one(15.8), service_p95_s: one(15.5), ttft_p95_s: one(0.3), failure_share: one(0) } },
    ]), [parseSlo(limit)!], 'hour', byName({ slow: 1, fast: 3 }));
    const none = cells('p95<=5s');
    expect(none.best).toBeNull();
    expect(none.unmet[0]).toMatchObject({ metBy: 0, closest: { candidate: 'g=fast', value: 15.8 }, floor: { candidate: 'g=fast', value: 15.5 } });
    const text = planText(none);
    expect(text).toContain('The work itself takes p95 15.50 s on the fastest configuration considered (g=fast)');
    expect(text).toContain('p95<=5s cannot be met by hardware of these speeds; try ttft_p95');
    expect(cells('p95<=16s').best?.candidate).toBe('g=fast');
    // Above the floor but unmet (waiting, not work): more hardware, not another objective.
    const waiting = cells('p95<=15.6s');
    expect(waiting.best).toBeNull();
    expect(planText(waiting)).toContain('Try more GPUs or hosts');
    expect(planText(waiting)).not.toContain('cannot be met by hardware');
  });

  test('frontier: a point is on it only if no cheaper-or-equal option has a lower p95', () => {
    const p = plan(sweepOf([
      { name: 'g=a', est: { latency_p95_s: one(9) } },
      { name: 'g=b', est: { latency_p95_s: one(10) } }, // $1.40, beaten by its equal-price twin
      { name: 'g=c', est: { latency_p95_s: one(8) } }, // $1.40
      { name: 'g=d', est: { latency_p95_s: one(8) } }, // $2, no better than c
      { name: 'g=e', est: { latency_p95_s: one(3) } },
    ]), [parseSlo('p95<=1s')!], 'hour', byName({ a: 1, b: 1.4, c: 1.4, d: 2, e: 3 }));
    expect(p.frontier.map((c) => c.candidate)).toEqual(['g=a', 'g=c', 'g=e']);
  });

  test('at equal cost the recommendation is the faster of the two, whatever their names', () => {
    const p = plan(sweepOf([{ name: 'g=a', est: { latency_p95_s: one(2.9) } }, { name: 'g=b', est: { latency_p95_s: one(1) } }]),
      [parseSlo('p95<=3s')!], 'hour', byName({ a: 1, b: 1 }));
    expect(p.best?.candidate).toBe('g=b');
    expect(p.rejected).toEqual([]);
  });
});
