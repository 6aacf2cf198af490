/**
 * The closed loop of `record` → `calibrate` → `validate`, on a configuration
 * no test tuned: `serve` answers with ±5 % seeded jitter, the official client
 * sends traffic through `record`, `calibrate` recovers every model's load time
 * and token rates within 5 %, and `validate` replays the recording with the
 * calibrated scenario and matches every load and every unload.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { calibrate } from '../../src/calibrate/calibrate.js';
import { validate } from '../../src/calibrate/validate.js';
import { RecordingFiles } from '../../src/io/recording-files.js';
import { startRecord, type RecordHandle } from '../../src/record/proxy.js';
import type { RecordedRequest } from '../../src/record/recorder.js';
import { realClock, serve, sleep } from '../serve/helpers.js';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');

/** Only one of the two fits at once (6 + 7 GiB > 12 GiB): each switch evicts one and loads the other. */
const TRUTH = { gamma: { load: 0.35, prefill: 1500, decode: 250 }, delta: { load: 0.2, prefill: 3000, decode: 600 } };
const SERVED = `
name: calibration loop
seed: 11
server: { OLLAMA_KEEP_ALIVE: 5m }
host: { gpus: [ { vram: 12GiB } ], unload: 0.05s }
models:
  gamma: { vram: 6GiB, load: ${TRUTH.gamma.load}s, prefill_tps: ${TRUTH.gamma.prefill}, decode_tps: ${TRUTH.gamma.decode} }
  delta: { vram: 7GiB, load: ${TRUTH.delta.load}s, prefill_tps: ${TRUTH.delta.prefill}, decode_tps: ${TRUTH.delta.decode} }
workload:
  requests: []
`;

let dir = '';
let closeAll: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const s = await serve(SERVED, { jitter: 0.05, outputTokens: 160 });
  closeAll.push(() => s.h.close());
  dir = mkdtempSync(join(tmpdir(), 'ollamasim-calibrate-'));
  const rec = join(dir, 'recording');
  mkdirSync(rec);
  const sink = new RecordingFiles(rec);
  const p: RecordHandle = await startRecord({ upstream: new URL(s.h.url), host: '127.0.0.1', port: 0, clock: realClock, pollMs: 50, sink });
  const client = new Ollama({ host: p.url });
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
  // Bursts of each model in turn: a load at every switch, and requests alone for the rates.
  for (let round = 0; round < 5; round++) {
    for (const model of ['gamma', 'delta'] as const) {
      for (let k = 0; k < 3; k++) await client.generate({ model, prompt: words(150 + 40 * k), stream: false });
      await sleep(120);
    }
  }
  await client.generate({ model: 'delta', prompt: '', keep_alive: 0, stream: false });
  await sleep(200);
  await p.close();
  await sink.close();
}, 120_000);

afterAll(async () => {
  for (const c of closeAll.reverse()) await c();
  closeAll = [];
});

const requests = () => readFileSync(join(dir, 'recording', 'requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordedRequest);

describe('record → calibrate → validate', () => {
  test('calibrate recovers each model\'s load time and token rates within 5 %', () => {
    const c = calibrate(requests(), JSON.parse(readFileSync(join(dir, 'recording', 'observed.json'), 'utf8')));
    for (const [model, truth] of Object.entries(TRUTH)) {
      const m = c.models.find((x) => x.model === model)!;
      const load = (m.warmLoad ?? m.coldLoad)!;
      expect(load.n, model).toBeGreaterThanOrEqual(4);
      expect(Math.abs(load.median / truth.load - 1), `${model} load`).toBeLessThan(0.05);
      expect(Math.abs(m.decode!.median / truth.decode - 1), `${model} decode`).toBeLessThan(0.05);
      expect(Math.abs(m.prefill!.median / truth.prefill - 1), `${model} prefill`).toBeLessThan(0.05);
      expect(m.sizeVram, `${model} size_vram`).toBeGreaterThan(0);
    }
    // The unload time (U = 0.05 s) comes out of the loads that waited for an eviction.
    expect(c.unload).toBeGreaterThan(0.03);
    expect(c.unload).toBeLessThan(0.07);
  });

  test('the CLI writes a scenario that validate replays to every load and unload the server made', () => {
    const cal = spawnSync(tsx, [main, 'calibrate', 'recording', '--out', 'calibrated.yaml', '--vram', '12GiB'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(cal.status, cal.stderr).toBe(0);
    const yaml = readFileSync(join(dir, 'calibrated.yaml'), 'utf8');
    expect(yaml).toMatch(/gamma.*load: 0\.3\d+s/);
    expect(yaml).toMatch(/host: \{ gpus: \[ \{ vram: 12GiB \} \], unload: 0\.0[3-7]\d*s \}/);
    expect(yaml).toContain('# load: warm (page-cache) load_duration median of');
    // serve runs on the wall clock: on a loaded machine HTTP adds a little to every latency, so the test allows 25 %.
    const val = spawnSync(tsx, [main, 'validate', 'calibrated.yaml', '--observed', 'recording', '--json', '--out', 'validation', '--tolerance', '25%'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(val.stderr).toBe('');
    const v = JSON.parse(val.stdout) as ReturnType<typeof validate>;
    expect(v.loads.observed).toBeGreaterThanOrEqual(10);
    expect(v.loads.matched).toBe(v.loads.observed);
    expect(v.loads.extra).toEqual([]);
    expect(v.unloads.observed).toBeGreaterThanOrEqual(9);
    expect(v.unloads.matched).toBe(v.unloads.observed);
    expect(v.worst!.error).toBeLessThan(0.25);
    expect(val.status).toBe(0);
    // A scenario far from the truth (loads ten times too slow) fails the tolerance: exit 1, and the table says why.
    // (Token rates would not do: the recorded trace gives each request's measured duration.)
    writeFileSync(join(dir, 'slow.yaml'), yaml.replace(/load: [\d.]+s/g, 'load: 3s'));
    const slow = spawnSync(tsx, [main, 'validate', 'slow.yaml', '--observed', 'recording'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(slow.status).toBe(1);
    expect(slow.stdout).toMatch(/FAILED/);
  }, 120_000);

  test('a folder that is not a recording is one line, exit 2', () => {
    const r = spawnSync(tsx, [main, 'calibrate', 'nowhere'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('not a recording');
  }, 60_000);
});
