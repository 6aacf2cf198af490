/**
 * The keep-alive advisor (issue #12): advice from a run of the candidate,
 * chosen by replay over a keep_alive grid, checked against 5m, -1 and 0.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ResolvedCandidate, ResolvedScenario } from '../../../src/config/types.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { advise } from '../../../src/plan/advise.js';
import { runScenario } from '../../../src/sim/run-scenario.js';

/** Two models on an 80 GiB GPU (they never contend), fixed durations; chat bursty unless `poisson`. */
async function world(chatRate = '20/h', poisson = false): Promise<ResolvedScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-advise-'));
  writeFileSync(join(dir, 's.yaml'), `
seed: 3
host: { gpus: [ { vram: 80GiB } ] }
models: { chat: { vram: 8GiB, load: 6s }, batch: { vram: 12GiB, load: 10s } }
workload:
  synthetic:
    length: 6h
    models: { chat: { rate: ${chatRate}, duration: 2${poisson ? '' : ', process: gamma, cv: 3'} }, batch: { rate: 3/h, duration: 5 } }
`);
  return loadScenario(join(dir, 's.yaml'));
}

const GRID = [0, 60, 300, 900, 1800, -1];

/** Clients send these keep_alives (s, -1 forever) per model. */
function sending(sc: ResolvedScenario, values: number[]): ResolvedCandidate {
  const base = sc.candidates[0]!;
  return { ...base, name: values.join('/'), models: base.models.map((m, i) => ({ ...m, keepAlive: values[i]! < 0 ? Infinity : values[i]! * 1e6 })) };
}

describe('advise', () => {
  test('gaps, requests and outcomes come from a run; camelCase fields stay beside the snake_case ones', async () => {
    const a = advise(await world(), { grid: GRID });
    expect(a.models.map((m) => m.model)).toEqual(['chat', 'batch']);
    for (const m of a.models) {
      expect(m.requests).toBeGreaterThan(10);
      expect(m.gap_p99_s).toBeGreaterThan(m.gap_p50_s);
      expect([m.gapP50, m.gapP99, m.keepAlive, m.coldShare]).toEqual([m.gap_p50_s, m.gap_p99_s, m.keep_alive, m.cold_share]);
      expect(GRID).toContain(m.keep_alive);
    }
    // No contention: client-sent values cannot hang, and the proof ends with 5m, -1 and 0.
    expect(a.client_sent_pathologies).toEqual([]);
    expect(a.comparison.slice(-3).map((c) => c.candidate)).toEqual(['keep 5m', 'keep forever', 'unload at once']);
    expect(a.comparison[0]!.stuck).toBe(0);
  });

  test('a cold target: sparser traffic for a model needs a longer keep_alive to meet it (e^(−λ·ka) ≤ 20 %)', async () => {
    const busy = advise(await world('20/h', true), { grid: GRID, coldTarget: 0.2 });
    const sparse = advise(await world('6/h', true), { grid: GRID, coldTarget: 0.2 });
    expect(busy.per_model_keep_alive.chat).toBe(300); // ln 5 / 20 per h ≈ 290 s
    expect(sparse.per_model_keep_alive.chat).toBe(1800); // ≈ 966 s
    expect(busy.cold_target_source).toBe('given');
  });

  test('a tighter cold target never advises a shorter keep_alive', async () => {
    const sc = await world();
    const loose = advise(sc, { grid: GRID, coldTarget: 0.5 }).per_model_keep_alive;
    const tight = advise(sc, { grid: GRID, coldTarget: 0.05 }).per_model_keep_alive;
    const rank = (s: number) => (s < 0 ? Infinity : s);
    for (const m of ['chat', 'batch']) expect(rank(tight[m]!)).toBeGreaterThanOrEqual(rank(loose[m]!));
  });

  test('the optimiser against the exhaustive grid: no grid point beats its choice on both idle GiB·h and cold share by more than the grid\'s resolution', async () => {
    const sc = await world();
    const a = advise(sc, { grid: GRID });
    const chosen = [a.per_model_keep_alive.chat!, a.per_model_keep_alive.batch!];
    const all = GRID.flatMap((c) => GRID.map((b) => [c, b]));
    const runs = runScenario({ ...sc, candidates: all.map((v) => sending(sc, v)) }).map((r) => r.summary);
    const at = (v: number[]) => runs[all.findIndex((x) => x[0] === v[0] && x[1] === v[1])]!;
    const mine = at(chosen);
    // Resolution: how far one grid step of one model moves the totals around the choice, summed over models.
    let dIdle = 0;
    let dCold = 0;
    chosen.forEach((v, m) => {
      const i = GRID.indexOf(v);
      let di = 0;
      let dc = 0;
      for (const j of [i - 1, i + 1]) {
        if (j < 0 || j >= GRID.length) continue;
        const s = at(chosen.map((w, k) => (k === m ? GRID[j]! : w)));
        di = Math.max(di, Math.abs(s.idle_resident_gib_hours - mine.idle_resident_gib_hours));
        dc = Math.max(dc, Math.abs(s.cold_share! - mine.cold_share!));
      }
      dIdle += di;
      dCold += dc;
    });
    const better = runs.filter((s) => s.idle_resident_gib_hours < mine.idle_resident_gib_hours - dIdle && s.cold_share! < mine.cold_share! - dCold);
    expect(better.map((s) => s.candidate)).toEqual([]);
    // And the check can fail: a poor choice (chat unloaded at once, batch kept forever) is beaten by more than that.
    const poor = at([0, -1]);
    expect(runs.some((s) => s.idle_resident_gib_hours < poor.idle_resident_gib_hours - dIdle && s.cold_share! < poor.cold_share! - dCold)).toBe(true);
  });
});
