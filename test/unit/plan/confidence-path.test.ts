/**
 * What a verdict rests on, through plan itself (makePlan, what `ollamasim plan`
 * runs): a replayed trace gives identical replications — one deterministic run,
 * no interval — while synthetic traffic varies and earns "95 % confidence".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makePlan } from '../../../src/cli/plan.js';
import { parseSlo } from '../../../src/plan/slo.js';
import { planText } from '../../../src/report/plan.js';

function scenario(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-verdict-'));
  writeFileSync(join(dir, 's.yaml'), yaml);
  return join(dir, 's.yaml');
}

const HEAD = `name: verdict
host: { gpu: rtx-4090 }
server: { OLLAMA_KEEP_ALIVE: "-1" }
models: { m: { vram: 4GiB, load: 2s } }
`;
const REPLAYED = `${HEAD}workload:
  requests:
${Array.from({ length: 30 }, (_, i) => `    - { at: ${i * 3}, model: m, duration: ${1 + (i % 4)} }`).join('\n')}
`;
const SYNTHETIC = `${HEAD}workload:
  synthetic:
    length: 1h
    models:
      m: { rate: 1200/h, duration: { median: 1, p95: 4 } }
`;
// An objective near the figures, so replications go on past the first two.
const opts = { gpus: 'rtx-4090', maxGpus: '1', replications: '4', jobs: '1' };

describe('the confidence statement, through plan', () => {
  test('a replayed trace: its replications agree, so the verdict is one deterministic run — no "95 %", no "±"', async () => {
    const { p } = await makePlan(scenario(REPLAYED), [parseSlo('p95<=3s')!], opts);
    expect(p.confidence.kind).toBe('deterministic');
    const text = planText(p);
    expect(text).toContain('Each verdict comes from one deterministic run per configuration');
    expect(text).not.toMatch(/95 %|±/);
  });

  test('one replication: one deterministic run, with its seed', async () => {
    const { p } = await makePlan(scenario(SYNTHETIC), [parseSlo('p95<=3s')!], { ...opts, replications: '1' });
    expect(p.confidence).toEqual({ kind: 'one-run', replications: 1, seed: 1 });
  });

  test('synthetic traffic drawn anew per replication: an interval, and "met with 95 % confidence"', async () => {
    const { p } = await makePlan(scenario(SYNTHETIC), [parseSlo('p95<=60s')!, parseSlo('p50<=0.5s')!], opts);
    expect(p.confidence.kind).toBe('interval');
    expect(planText(p)).toContain('met with 95 % confidence');
    expect(planText(p)).toMatch(/broke p50<=0\.5s \(\d+\.\d\d s ± \d+\.\d\d\)/);
  });
});
