/**
 * The planner checked against theory, through the real path: each world is a
 * scenario file (YAML + a seeded Poisson trace) given to `plan` itself
 * (makePlan: what `ollamasim plan` runs), and the answer must be the one the
 * closed form gives — the fleet size the formula picks, with the size below it
 * rejected. keep_alive -1 and a warm model: no loads, so each host is an M/M/c
 * queue (spec §5.7: FIFO parallel slots); the random router splits Poisson
 * traffic into independent Poisson streams of λ/n.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makePlan } from '../../src/cli/plan.js';
import { rngStream } from '../../src/engine/index.js';
import { gpuById } from '../../src/hardware/gpus.js';
import { modelByTag } from '../../src/hardware/models.js';
import { ratesFor } from '../../src/hardware/throughput.js';
import { mmcSojournQuantile, mmcSojournTail } from '../../src/metrics/queueing.js';
import type { Plan } from '../../src/plan/plan.js';
import { parseSlo } from '../../src/plan/slo.js';

const LN20 = Math.log(20);

/** Poisson arrivals at λ/s; per request either an exponential duration (mean 1/μ s) or exponential output tokens. */
function poissonCsv(n: number, lambda: number, seed: number, column: 'duration' | 'output_tokens', mean: number): { csv: string; meanDrawn: number } {
  const arr = rngStream(seed, 'oracle/arrivals');
  const svc = rngStream(seed, 'oracle/service');
  const rows = [`at,model,${column === 'duration' ? 'duration' : 'prompt_tokens,output_tokens'}`];
  let t = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    t += -Math.log(1 - arr()) / lambda;
    const x = -Math.log(1 - svc()) * mean;
    const v = column === 'duration' ? Math.max(0.001, Math.round(x * 1000) / 1000) : Math.max(1, Math.round(x));
    sum += v;
    rows.push(`${t.toFixed(4)},m,${column === 'duration' ? v : `0,${v}`}`);
  }
  return { csv: rows.join('\n') + '\n', meanDrawn: sum / n };
}

function world(yaml: string, csv: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-oracle-'));
  writeFileSync(join(dir, 'trace.csv'), csv);
  writeFileSync(join(dir, 'world.yaml'), yaml);
  return join(dir, 'world.yaml');
}

const fleetYaml = (router: string, slots: number) => `name: oracle fleet
seed: 11
server: { OLLAMA_KEEP_ALIVE: "-1", OLLAMA_NUM_PARALLEL: ${slots} }
host: { gpu: rtx-4090 }
models: { m: { vram: 1GiB, load: 0s } }
warm: [ m ]
fleet: { hosts: 1, router: ${router} }
workload: { trace: trace.csv }
`;

const p95Of = (p: Plan, hosts: number) => p.cells.find((c) => c.values['fleet.hosts'] === String(hosts))!.estimates.latency_p95_s!.mean;
const hostsOf = (p: Plan) => Number(p.best?.values['fleet.hosts']);

async function planFleet(file: string, slo: string, hosts: number[]): Promise<Plan> {
  const { p } = await makePlan(file, [parseSlo(slo)!], { gpus: 'rtx-4090', maxGpus: '1', hosts: hosts.join(','), jobs: '1' });
  return p;
}

/** The cheapest fleet size whose closed-form p95 sojourn meets the limit. */
const formulaPick = (hosts: number[], limit: number, c: number, lambda: number, mu: number) =>
  hosts.find((n) => mmcSojournQuantile(c, lambda / n, mu, 0.95) <= limit)!;

describe('the sojourn-time formula', () => {
  test('M/M/1: P(T > t) = e^(−(μ − λ)t); M/M/c tends to it as C → 1 and is a distribution', () => {
    expect(mmcSojournTail(1, 0.6, 1, 2)).toBeCloseTo(Math.exp(-0.4 * 2), 12);
    expect(mmcSojournQuantile(1, 0.5, 1, 0.95)).toBeCloseTo(LN20 / 0.5, 9);
    expect(mmcSojournTail(3, 2, 1, 0)).toBeCloseTo(1, 12);
    expect(mmcSojournTail(3, 2, 1, 1)).toBeGreaterThan(mmcSojournTail(3, 2, 1, 2));
    expect(mmcSojournQuantile(2, 2.5, 1, 0.95)).toBe(Infinity);
  });
});

describe('plan picks the fleet size theory picks (random router, Poisson traffic, exponential work)', () => {
  const { csv } = poissonCsv(40_000, 3.2, 5, 'duration', 1);
  const hosts = [4, 5, 6, 7, 8];
  let randomPlan: Promise<Plan> | null = null;
  const planRandom = () => (randomPlan ??= planFleet(world(fleetYaml('random', 1), csv), 'p95<=7.5s', hosts));

  test('M/M/1 hosts: p95 = ln 20 / (μ − λ/n); p95 <= 7.5 s needs 6 hosts, and 5 are rejected', async () => {
    const limit = 7.5;
    const answer = formulaPick(hosts, limit, 1, 3.2, 1);
    expect(answer).toBe(6); // 6.42 s; 5 hosts: 8.32 s
    const p = await planRandom();
    expect(hostsOf(p)).toBe(answer);
    expect(p.rejected.find((c) => c.values['fleet.hosts'] === String(answer - 1))?.brokenAll.map((s) => s.text)).toEqual([`p95<=${limit}s`]);
    // Each size's p95 within 12 % of the closed form (40 k requests, the fleet's share each).
    for (const n of hosts) expect(p95Of(p, n) / (LN20 / (1 - 3.2 / n))).toBeGreaterThan(0.88);
    for (const n of hosts) expect(p95Of(p, n) / (LN20 / (1 - 3.2 / n))).toBeLessThan(1.12);
  });

  test('M/M/2 hosts (OLLAMA_NUM_PARALLEL 2, fixed durations are not slowed by sharing): p95 <= 6 s needs 4 hosts, 3 are rejected', async () => {
    const { csv: heavier } = poissonCsv(40_000, 4.8, 6, 'duration', 1);
    const limit = 6;
    const sizes = [3, 4, 5, 6];
    const answer = formulaPick(sizes, limit, 2, 4.8, 1);
    expect(answer).toBe(4); // 4.43 s; 3 hosts: 7.91 s
    const p = await planFleet(world(fleetYaml('random', 2), heavier), `p95<=${limit}s`, sizes);
    expect(hostsOf(p)).toBe(answer);
    expect(p.rejected.map((c) => c.values['fleet.hosts'])).toEqual([String(answer - 1)]);
  });

  test('round-robin is never worse than random, size by size, and never needs more hosts', async () => {
    const limit = 7.5;
    const random = await planRandom();
    const rr = await planFleet(world(fleetYaml('round-robin', 1), csv), `p95<=${limit}s`, hosts);
    for (const n of hosts) expect(p95Of(rr, n)).toBeLessThanOrEqual(p95Of(random, n));
    // And the routers really differ: a plan over hosts keeps the scenario's router.
    for (const n of hosts) expect(p95Of(rr, n)).toBeLessThan(0.9 * p95Of(random, n));
    expect(hostsOf(rr)).toBeLessThanOrEqual(hostsOf(random));
  });
});

describe('GPU speed reaches the plan: decode twice as fast halves token-bound work', () => {
  // a10g and l4 are both scaled from the same measured GPU by memory bandwidth (600 vs 300 GB/s): exactly 2×.
  const spec = modelByTag('llama3.1:8b')!;
  const decodeL4 = ratesFor(gpuById('l4')!, spec).decode;
  const yaml = `name: oracle gpu
seed: 3
server: { OLLAMA_KEEP_ALIVE: "-1" }
host: { gpu: l4 }
models: { m: { tag: llama3.1:8b } }
warm: [ m ]
workload: { trace: trace.csv }
`;
  const limit = 30;
  const planAt = async (lambda: number) => {
    const { csv, meanDrawn } = poissonCsv(30_000, lambda, 9, 'output_tokens', 100);
    const { p } = await makePlan(world(yaml, csv), [parseSlo(`p95<=${limit}s`)!], { gpus: 'l4,a10g', maxGpus: '1', jobs: '1' });
    return { p, mu: decodeL4 / meanDrawn };
  };

  test('the rates the oracle rests on: a10g decodes exactly twice as fast as l4', () => {
    expect(ratesFor(gpuById('a10g')!, spec).decode / decodeL4).toBeCloseTo(2, 9);
  });

  test('below the rate where the cheaper l4 stops meeting p95 the plan buys l4, above it a10g — where ln 20 / (μ − λ) says', async () => {
    const mu = decodeL4 / 100; // per second on l4, ≈ the drawn mean
    const flip = mu - LN20 / limit; // l4's p95 = limit here
    for (const [lambda, gpu] of [[0.8 * flip, 'l4'], [1.2 * flip, 'a10g']] as const) {
      const { p, mu: muL4 } = await planAt(lambda);
      const l4 = p.cells.find((c) => c.values['host.gpu'] === 'l4')!;
      const a10g = p.cells.find((c) => c.values['host.gpu'] === 'a10g')!;
      expect(a10g.estimates.service_p95_s!.mean / l4.estimates.service_p95_s!.mean).toBeCloseTo(0.5, 1);
      expect(LN20 / (muL4 - lambda) <= limit ? 'l4' : 'a10g').toBe(gpu); // the formula's pick
      expect(p.best?.values['host.gpu']).toBe(gpu);
    }
  });
});
