/**
 * What travels to a sweep worker: the scenario and the files it reads, by
 * content hash, laid out again so that the scenario's relative paths still hold.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bundleScenario, materializeBundle, sha256 } from '../../../src/io/scenario-bundle.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { runScenario } from '../../../src/sim/run-scenario.js';
import { decodeSummary, encodeSummary, jobId } from '../../../src/queue/cells.js';
import { shown } from '../../../src/queue/connection.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-bundle-'));
  mkdirSync(join(dir, 'scenarios'));
  mkdirSync(join(dir, 'traces'));
  writeFileSync(join(dir, 'traces/day.csv'), 'at,model,duration\n0,a,2\n10,a,1\n400,a,3\n');
  writeFileSync(join(dir, 'scenarios/s.yaml'), 'host: { gpus: [ { vram: 24GiB } ] }\nmodels: { a: { vram: 5GiB, load: 2s } }\nworkload: { trace: ../traces/day.csv }\n');
  return dir;
}

describe('scenario bundles', () => {
  test('the scenario and its trace, relative to their common folder, each by the hash of its bytes', () => {
    const dir = project();
    const { bundle, contents } = bundleScenario(join(dir, 'scenarios/s.yaml'));
    expect(bundle.entry).toBe('scenarios/s.yaml');
    expect(bundle.files.map((f) => f.path)).toEqual(['scenarios/s.yaml', 'traces/day.csv']);
    for (const f of bundle.files) expect(sha256(contents.get(f.sha256)!)).toBe(f.sha256);
  });

  test('laid out elsewhere, it loads and runs to the same summary', async () => {
    const dir = project();
    const { bundle, contents } = bundleScenario(join(dir, 'scenarios/s.yaml'));
    const fetched: string[] = [];
    const cache = mkdtempSync(join(tmpdir(), 'ollamasim-cache-'));
    const fetch = async (sha: string) => { fetched.push(sha); return contents.get(sha)!; };
    const entry = await materializeBundle(cache, bundle, fetch);
    const [here] = runScenario(await loadScenario(join(dir, 'scenarios/s.yaml')));
    const [there] = runScenario(await loadScenario(entry));
    expect(there!.summary).toEqual(here!.summary);
    // A second sweep over the same files fetches nothing.
    await materializeBundle(cache, bundle, fetch);
    expect(fetched).toHaveLength(2);
  });

  test('a file whose bytes do not match its hash is refused', async () => {
    const dir = project();
    const { bundle } = bundleScenario(join(dir, 'scenarios/s.yaml'));
    const cache = mkdtempSync(join(tmpdir(), 'ollamasim-cache-'));
    await expect(materializeBundle(cache, bundle, async () => Buffer.from('tampered'))).rejects.toThrow(/does not match its hash/);
  });

  test('a changed trace is another bundle, so another sweep', () => {
    const dir = project();
    const a = bundleScenario(join(dir, 'scenarios/s.yaml')).bundle;
    writeFileSync(join(dir, 'traces/day.csv'), readFileSync(join(dir, 'traces/day.csv'), 'utf8') + '500,a,1\n');
    const b = bundleScenario(join(dir, 'scenarios/s.yaml')).bundle;
    expect(b.sha256).not.toBe(a.sha256);
    const task = { replication: 0, cell: 0 };
    expect(jobId({ bundle: b, axes: [], seeds: [1] }, task)).not.toBe(jobId({ bundle: a, axes: [], seeds: [1] }, task));
    expect(jobId({ bundle: a, axes: [], seeds: [1] }, task)).toBe(jobId({ bundle: a, axes: [], seeds: [1] }, task));
    expect(jobId({ bundle: a, axes: [], seeds: [1] }, task)).not.toContain(':'); // BullMQ refuses ':' in custom ids
  });
});

test('results travel exactly: NaN, -0 and every double survive', () => {
  const s = { name: 'x', latency_p95_s: NaN, cold_share: -0, vram_mean_gib: 0.1 + 0.2 } as never;
  const back = decodeSummary(encodeSummary(s)) as unknown as Record<string, number>;
  expect(back.latency_p95_s).toBeNaN();
  expect(Object.is(back.cold_share, -0)).toBe(true);
  expect(back.vram_mean_gib).toBe(0.1 + 0.2);
});

test('a Redis URL is printed without its password', () => {
  expect(shown('redis://:secret@host:6379/0')).toBe('redis://:***@host:6379/0');
  expect(shown('rediss://user:secret@host:6380')).toBe('rediss://user:***@host:6380');
  expect(shown('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
});
