import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { advise } from '../../../src/plan/advise.js';

test('advise: keep warm across the p99 idle gap (+10 %, whole minutes, at most 1h), proved against 5m, -1 and 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-advise-'));
  const every = (model: string, gap: number, n: number, offset = 0) =>
    Array.from({ length: n }, (_, i) => `${offset + i * gap},${model},1`);
  const rows = [...every('chat', 400, 20), ...every('batch', 7200, 4, 50)].sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]));
  writeFileSync(join(dir, 't.csv'), ['at,model,duration', ...rows].join('\n'));
  writeFileSync(join(dir, 's.yaml'), `
host: { gpus: [ { vram: 24GiB } ] }
models: { chat: { vram: 5GiB, load: 5s }, batch: { vram: 5GiB, load: 5s } }
workload: { trace: t.csv }
`);
  const a = advise(await loadScenario(join(dir, 's.yaml')));
  expect(a.models).toEqual([
    { model: 'chat', requests: 20, gapP50: 399, gapP99: 399, keepAlive: 480, coldShare: 0 }, // 399 × 1.1 = 439 → 8m
    { model: 'batch', requests: 4, gapP50: 7199, gapP99: 7199, keepAlive: 3600, coldShare: 1 },
  ]);
  const [advised, fiveMin, forever, zero] = a.comparison;
  expect(advised!.cold_starts).toBe(1 + 4); // chat's first request, and every batch request
  expect(fiveMin!.cold_starts).toBe(20 + 4); // 400 s gaps outlast 5m
  expect(forever!.cold_starts).toBe(2);
  expect(zero!.cold_starts).toBe(24);
  expect(advised!.idle_resident_gib_hours).toBeLessThan(forever!.idle_resident_gib_hours);
});
