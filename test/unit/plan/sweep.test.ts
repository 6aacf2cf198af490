import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runSweep } from '../../../src/cli/sweep-pool.js';
import { cells, parseGridArg, patchFor } from '../../../src/config/grid.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { cellsCsv } from '../../../src/io/sweep-outputs.js';
import { estimate, tCritical } from '../../../src/plan/confidence.js';
import { runScenario } from '../../../src/sim/run-scenario.js';

describe('sweep axes', () => {
  test('--grid KEY=v1,v2: numeric text becomes a number ("-1" means forever, not a unit-less string)', () => {
    expect(parseGridArg('OLLAMA_KEEP_ALIVE=0,5m,-1')).toEqual({ key: 'OLLAMA_KEEP_ALIVE', values: [0, '5m', -1] });
    expect(parseGridArg('nothing')).toBeNull();
    expect(parseGridArg('K=')).toBeNull();
  });

  test('paths: bare OLLAMA_* is the server, model names may contain dots', () => {
    expect(patchFor('OLLAMA_NUM_PARALLEL', 2)).toEqual({ server: { OLLAMA_NUM_PARALLEL: 2 } });
    expect(patchFor('models.llama3.1:8b.keep_alive', '10m')).toEqual({ models: { 'llama3.1:8b': { keep_alive: '10m' } } });
    expect(patchFor('host.count', 2)).toEqual({ host: { count: 2 } });
  });

  test('the Cartesian product, first axis slowest', () => {
    const c = cells([{ key: 'a', values: [1, 2] }, { key: 'b', values: ['x', 'y'] }]);
    expect(c.map((x) => x.label)).toEqual(['a=1, b=x', 'a=1, b=y', 'a=2, b=x', 'a=2, b=y']);
  });
});

describe('95 % confidence intervals (Student t)', () => {
  test('t critical values; mean ± t·s/√n', () => {
    expect(tCritical(1)).toBe(12.706);
    expect(tCritical(4)).toBe(2.776);
    expect(tCritical(100)).toBe(1.96);
    const e = estimate([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    expect(e.ci95).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 9);
    expect(estimate([7]).ci95).toBe(0);
    expect(estimate([2, 2, 2]).ci95).toBe(0);
  });
});

describe('sweeps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-sweep-'));
  const file = join(dir, 's.yaml');
  writeFileSync(file, `
name: sweep test
seed: 7
host: { gpus: [ { vram: 24GiB } ] }
models: { a: { vram: 10GiB, load: 5s }, b: { vram: 16GiB, load: 8s } }
workload:
  synthetic:
    length: 2h
    models:
      a: { rate: 30/h, duration: { median: 5, p95: 20 } }
      b: { rate: 10/h, duration: 10 }
candidates:
  - { name: keep 5m, server: { OLLAMA_KEEP_ALIVE: 5m } }
  - { name: keep forever, server: { OLLAMA_KEEP_ALIVE: "-1" } }
sweep:
  OLLAMA_NUM_PARALLEL: [1, 2]
`);

  test('the scenario\'s sweep × --grid × candidates; axes that override a candidate entirely collapse it', async () => {
    const sc = await loadScenario(file, { axes: [{ key: 'OLLAMA_KEEP_ALIVE', values: [0, '5m'] }] });
    expect(sc.candidates.map((c) => c.name)).toEqual([
      'OLLAMA_NUM_PARALLEL=1, OLLAMA_KEEP_ALIVE=0', 'OLLAMA_NUM_PARALLEL=1, OLLAMA_KEEP_ALIVE=5m',
      'OLLAMA_NUM_PARALLEL=2, OLLAMA_KEEP_ALIVE=0', 'OLLAMA_NUM_PARALLEL=2, OLLAMA_KEEP_ALIVE=5m',
    ]);
    const plain = await loadScenario(file);
    expect(plain.candidates.map((c) => c.name)).toEqual([
      'keep 5m | OLLAMA_NUM_PARALLEL=1', 'keep 5m | OLLAMA_NUM_PARALLEL=2',
      'keep forever | OLLAMA_NUM_PARALLEL=1', 'keep forever | OLLAMA_NUM_PARALLEL=2',
    ]);
  });

  test('replications redraw the synthetic traffic; results are the same bytes with 1 or 2 workers', async () => {
    const one = await runSweep(file, { axes: [], replications: 3, jobs: 1 });
    const two = await runSweep(file, { axes: [], replications: 3, jobs: 2 });
    expect(cellsCsv(two)).toBe(cellsCsv(one));
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    const requests = one.cells[0]!.runs.map((r) => r.requests);
    expect(new Set(requests).size).toBeGreaterThan(1); // derived seeds draw different traffic
    expect(one.cells[0]!.estimates.requests!.ci95).toBeGreaterThan(0);
    expect(one.seeds[0]).toBe(7);
  });
});

describe('offered load', () => {
  test('rate_scale is a candidate knob and a sweep axis; the sweep report then charts p95 and failures against it', async () => {
    const { readFileSync, existsSync } = await import('node:fs');
    const { writeSweepReport } = await import('../../../src/io/report-files.js');
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-load-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `
host: { gpus: [ { vram: 24GiB } ] }
models: { a: { vram: 10GiB, load: 5s } }
workload: { requests: [ ${Array.from({ length: 50 }, (_, i) => `{ at: ${i * 10}, model: a, duration: 2 }`).join(', ')} ] }
candidates: [ { name: today }, { name: double, rate_scale: 2 } ]
`);
    const sc = await loadScenario(file);
    const [today, double] = runScenario(sc);
    expect(today!.summary.requests).toBe(50);
    expect(double!.summary.requests).toBeGreaterThan(95);
    const r = await runSweep(file, { axes: [{ key: 'rate_scale', values: [1, 3] }], replications: 1, jobs: 1 });
    await writeSweepReport(join(dir, 'out'), r, '');
    expect(existsSync(join(dir, 'out', 'charts', 'load.svg'))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('p95 and failures against offered load');
  });
});

describe('stopping replications early', () => {
  test('cells the rule settles get two replications; the others get all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-early-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `
seed: 3
host: { gpus: [ { vram: 24GiB } ] }
models: { a: { vram: 10GiB, load: 5s } }
workload: { synthetic: { length: 1h, models: { a: { rate: 60/h, duration: { median: 2, p95: 8 } } } } }
sweep: { OLLAMA_KEEP_ALIVE: [0, -1] }
`);
    const r = await runSweep(file, { axes: [], replications: 5, jobs: 1, decided: (e) => (e.cold_share?.mean ?? 0) > 0.5 });
    expect(r.cells.map((c) => [c.candidate, c.runs.length])).toEqual([['OLLAMA_KEEP_ALIVE=0', 2], ['OLLAMA_KEEP_ALIVE=-1', 5]]);
    const again = await runSweep(file, { axes: [], replications: 5, jobs: 2, decided: (e) => (e.cold_share?.mean ?? 0) > 0.5 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(r));
  });
});
