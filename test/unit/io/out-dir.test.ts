/**
 * The --out folder and the kept runs of a sweep, as units (issue 13).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../../src/diag/index.js';
import { MANIFEST, OutDir } from '../../../src/io/out-dir.js';
import { PartialCells, partialDir } from '../../../src/io/partial-cells.js';
import type { CandidateSummary } from '../../../src/metrics/index.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'ollamasim-outdir-'));

describe('OutDir', () => {
  test('nothing reaches DIR before commit; an aborted run leaves DIR and its parent as they were', () => {
    const root = fresh();
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out/summary.json'), 'previous\n');
    const out = OutDir.open(join(root, 'out'));
    writeFileSync(join(out.path, 'summary.json'), 'new\n');
    expect(readFileSync(join(root, 'out/summary.json'), 'utf8')).toBe('previous\n');
    out.abort();
    expect(readdirSync(root)).toEqual(['out']);
    expect(readdirSync(join(root, 'out'))).toEqual(['summary.json']);
  });

  test('a manifest entry outside DIR (../, absolute) is never taken for an own file', () => {
    const root = fresh();
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'keep.txt'), 'mine\n');
    writeFileSync(join(root, 'out', MANIFEST), JSON.stringify({ tool: 'ollamasim', files: ['../keep.txt', join(root, 'keep.txt')] }));
    const out = OutDir.open(join(root, 'out'));
    writeFileSync(join(out.path, 'summary.json'), '{}\n');
    expect(out.commit('run', 'test')).toEqual(['summary.json']);
    expect(readFileSync(join(root, 'keep.txt'), 'utf8')).toBe('mine\n');
    expect(JSON.parse(readFileSync(join(root, 'out', MANIFEST), 'utf8'))).toEqual({ tool: 'ollamasim', version: 'test', command: 'run', files: ['summary.json'] });
  });

  test('a charts/ folder emptied of our files goes; one holding the user\'s stays', () => {
    const root = fresh();
    const first = OutDir.open(join(root, 'out'));
    mkdirSync(join(first.path, 'charts'));
    writeFileSync(join(first.path, 'charts/a.svg'), '<svg/>');
    first.commit('run', 'test');
    const second = OutDir.open(join(root, 'out'));
    writeFileSync(join(second.path, 'summary.json'), '{}\n');
    second.commit('run', 'test');
    expect(existsSync(join(root, 'out/charts'))).toBe(false);
  });

  test('an --out that is a file is refused at once', () => {
    const root = fresh();
    writeFileSync(join(root, 'f'), '');
    expect(() => OutDir.open(join(root, 'f'))).toThrow(InputError);
  });
});

describe('PartialCells: a kept run comes back as the very numbers it was', () => {
  test('NaN, ±Infinity and -0 survive; another candidate at that cell is not taken', () => {
    const root = fresh();
    const kept = new PartialCells(join(root, 'out'), 'abc');
    const s = { candidate: 'x', requests: 3, latency_p50_s: NaN, latency_max_s: Infinity, vram_mean_gib: -0, low: -Infinity, models: { m: { ok: 1, p: NaN } } } as unknown as CandidateSummary;
    kept.put(2, 1, 'x', s);
    const back = kept.get(2, 1, 'x') as unknown as Record<string, unknown>;
    expect(back).toEqual(s);
    expect(Object.is(back.vram_mean_gib, -0)).toBe(true);
    expect(Number.isNaN((back.models as { m: { p: number } }).m.p)).toBe(true);
    expect(kept.get(2, 1, 'y')).toBeUndefined();
    expect(kept.get(0, 0, 'x')).toBeUndefined();
    expect(kept.count()).toBe(1);
    kept.clear(join(root, 'out'));
    expect(existsSync(partialDir(join(root, 'out')))).toBe(false);
  });
});
