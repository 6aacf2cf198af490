/**
 * `plan` through the command line on token-sized work: the GPU's speed reaches
 * every configuration, so a plan no longer ranks GPUs on price alone (issue #10).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const SCENARIO = `name: plan by speed
seed: 2
host: { gpu: rtx-4090 }
models: { llama3.1:8b: {} }
fleet: { hosts: 1, router: random }
workload:
  synthetic:
    length: 1h
    models:
      llama3.1:8b: { rate: 0.5/s, prompt_tokens: 800, output_tokens: 300 }
`;

function plan(...args: string[]) {
  return planOf(SCENARIO, ...args);
}

function planOf(scenario: string, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-plan-speed-'));
  writeFileSync(join(dir, 's.yaml'), scenario);
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/cli/main.ts'), 'plan', 's.yaml', '--slo', 'p95<=20s', '--gpus', 'rtx-4090,h100-sxm', '--max-gpus', '1', '--jobs', '1', '--json', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { best: { candidate: string; estimates: Record<string, { mean: number }> } | null; rejected: { candidate: string; broken: string }[]; warnings: string[] };
}

test('one 4090 cannot keep up with 0.5 req/s of 800 + 300 tokens; the plan pays for the H100 that can', () => {
  const p = plan();
  expect(p.best!.candidate).toBe('host.gpu=h100-sxm, host.count=1');
  expect(p.rejected).toMatchObject([{ candidate: 'host.gpu=rtx-4090, host.count=1', price: 0.7, broken: 'p95<=20s' }]); // fields are added, never dropped
});

test('two 4090 servers behind the scenario\'s router share the load and are cheaper', () => {
  const p = plan('--hosts', '1,2');
  expect(p.best!.candidate).toBe('host.gpu=rtx-4090, host.count=1, fleet.hosts=2');
  expect(p.best!.estimates.latency_p95_s!.mean).toBeLessThanOrEqual(20);
});

test('on durations measured on unknown hardware, the plan says the GPU type changed only memory and load times', () => {
  const p = planOf(SCENARIO.replace('prompt_tokens: 800, output_tokens: 300', 'duration: 1'));
  expect(p.warnings).toEqual([expect.stringMatching(/the GPU type changes only memory and load times/)]);
  expect(plan().warnings).toEqual([]);
});
