/**
 * `logs import` on the corpus of real excerpts (test/fixtures/logs/SOURCES.md):
 * each extracts exactly the requests, loads and unloads its lines show, and
 * says what they do not. Times are seconds since the earliest instant the
 * excerpt implies (a request's earliest arrival, a load's back-computed start).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importLog, type ImportResult } from '../../src/logs/assemble.js';
import { TRACE_HEADER } from '../../src/record/recorder.js';

const DIR = join(import.meta.dirname, '../fixtures/logs');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const imp = (name: string, model?: string): ImportResult => importLog(read(name), { source: name, ...(model ? { model } : {}) });

/** [id, at, end, endpoint, status, model, attributed_by, load_duration ns] of the inference requests. */
const inference = (r: ImportResult) =>
  r.requests.filter((q) => q.op !== 'other').map((q) => [q.id, q.at, q.end, q.endpoint, q.status, q.model, q.attributed_by ?? null, q.response.load_duration ?? null]);
/** [t, event, model, load_s or reason]. */
const residency = (r: ImportResult) => r.observed.residency.map((e) => [e.t, e.event, e.model, e.load_s ?? e.reason ?? null]);
const rows = (r: ImportResult) => r.trace.slice(1);
/** The topic of each unrecoverable sentence (its words up to the first ':' or '('). */
const gaps = (r: ImportResult) => r.observed.unrecoverable.map((u) => u.split(/[:(]/)[0]!.trim());

const NO_BODIES = 'prompt and output tokens, keep_alive and num_ctx as the client sent them, and streaming';
const REQUEST_GAPS = [NO_BODIES, 'preload and unload requests', 'queueing inside a request'];
const INFO_GAP = 'keep_alive expiries and other unloads';

describe('INFO excerpts', () => {
  test('#7408 (v0.3, docker): "llama runner started in 8.13 seconds" is a load begun 8.13 s earlier; the chat GIN line names no model', () => {
    const r = imp('7408-info-load-chat.log');
    expect(r.observed.log).toMatchObject({ level: 'INFO', lines: 18, recognised: 4, unparseable: 14, malformed: 0 });
    expect(residency(r)).toEqual([[10.228, 'loaded', '(unnamed)', 8.13]]);
    expect(r.observed.residency[0]!.load_started).toBe(2.098);
    expect(inference(r)).toEqual([[1, 0.5, 29.722, '/api/chat', 200, null, null, null]]);
    expect(r.requests[0]!.at_window).toEqual([0, 1]);
    expect(rows(r)).toEqual([]);
    expect(gaps(r)).toEqual(['arrival time of 1 request', ...REQUEST_GAPS, 'model of 1 request', INFO_GAP, 'model of 1 load']);
  });

  test('#7408 with --model: the request waited for the load inside it (load_duration = arrival → ready, work = ready → end)', () => {
    const r = imp('7408-info-load-chat.log', 'qwen2.5:72b');
    expect(inference(r)).toEqual([[1, 0.5, 29.722, '/api/chat', 200, 'qwen2.5:72b', 'hint', 9_727_686_000]]);
    expect(rows(r)).toEqual(['1,0.5,qwen2.5:72b,19.494,,,,,,']);
    expect(residency(r)).toEqual([[10.228, 'loaded', 'qwen2.5:72b', 8.13]]);
    expect(gaps(r)).not.toContain('model of 1 request');
  });

  test('#13805 (v0.14, journalctl in a French locale): GIN lines only — two generate requests, no model, no load', () => {
    const r = imp('13805-info-gin-only.log');
    expect(r.observed.log).toMatchObject({ level: 'INFO', lines: 8, recognised: 8, unparseable: 0 });
    expect(inference(r)).toEqual([
      [1, 0.5, 33.28, '/api/generate', 200, null, null, null],
      [5, 373.079, 373.28, '/api/generate', 200, null, null, null],
    ]);
    expect(r.observed.requests).toMatchObject({ total: 8, by_op: { generate: 2, other: 6 }, by_endpoint: { '/': 3, '/api/ps': 2, '/api/show': 1, '/api/generate': 2 } });
    expect(residency(r)).toEqual([]);
    expect(r.observed.models).toEqual({});
    expect(gaps(r)).toContain('model of 2 requests');
  });

  test('#13805 with --model: every generate request is the named model, its duration the latency', () => {
    const r = imp('13805-info-gin-only.log', 'glm-4.7-flash');
    expect(rows(r)).toEqual(['1,0.5,glm-4.7-flash,32.779561,,,,,,', '5,373.079,glm-4.7-flash,0.200666,,,,,,']);
  });

  test('#8387 (journalctl): latencies past a minute are whole seconds (a 2 s window); another journal PID is a restart', () => {
    const r = imp('8387-info-long-latency.log');
    const q = r.requests.filter((x) => x.op === 'chat');
    expect(q).toHaveLength(10);
    expect(q.every((x) => x.status === 500 && x.outcome === 'http_error' && x.model === null)).toBe(true);
    expect(q[0]).toMatchObject({ at: 1, end: 1800.5, at_window: [0, 2], response: { total_duration: 1_799_000_000_000 } });
    expect(q[4]).toMatchObject({ at: 54696.791, at_window: [54696.291, 54697.291] });
    expect(r.observed.upstream_events).toEqual([{ t: 143303, event: 'restart', detail: 'journal PID 1543654 → 1190 (restarted at or before this line)' }]);
    expect(gaps(r)).toContain('exact latency past a minute');
  });

  test('#17482 (v0.3x): "llama-server started in 5.42 seconds" after llama-server\'s own output', () => {
    const r = imp('17482-info-llama-server.log');
    expect(r.observed.log).toMatchObject({ recognised: 2, unparseable: 4 });
    expect(residency(r)).toEqual([[5.42, 'loaded', '(unnamed)', 5.42]]);
  });

  test('#9509 (v0.5, Docker Desktop): a load started (its blob and num_ctx on the command line) and never seen ready is no load', () => {
    const r = imp('9509-info-load-start.log');
    expect(residency(r)).toEqual([]);
    expect(r.observed.models).toEqual({ 'sha256-8c625c9569c3': expect.objectContaining({ loads: 0, context_length: 8192 }) });
    expect(r.observed.unrecoverable).toContain('a load of sha256-8c625c9569c3 started at t=0 s and is not seen ready (the log ends, or the load failed)');
  });

  test('#1365 (v0.1.13, before slog): the log package\'s "llama runner started in 9.200880 seconds"', () => {
    const r = imp('1365-legacy-2023.log');
    expect(r.observed.log).toMatchObject({ recognised: 1, unparseable: 6 });
    expect(residency(r)).toEqual([[9.201, 'loaded', '(unnamed)', 9.201]]);
  });
});

test('#1703 (v0.1.17, before slog): a runner that failed to start is no load, and its "stopped" line no unload', () => {
  const r = imp('1703-legacy-failed-start.log');
  expect(residency(r)).toEqual([]);
  expect(inference(r)).toEqual([[1, 0.5, 1.832, '/api/generate', 500, null, null, null]]);
  expect(r.observed.unrecoverable).toContain('1 failed load: not counted as loads');
  // Before the scheduler every runner stop is logged at INFO: no unload is hidden.
  expect(gaps(r)).not.toContain(INFO_GAP);
});

test('v0.1.x: "llama runner stopped successfully" after a load unloads the one model held (every unload is logged there)', () => {
  const log = read('1365-legacy-2023.log') + 'Dec 03 15:03:50 osm-server ollama[937]: 2023/12/03 15:03:50 llama.go:525: llama runner stopped successfully\n';
  const r = imp('1365-legacy-2023.log');
  const stopped = importLog(log, { source: 'x', model: 'llama2' });
  expect(residency(r)).toEqual([[9.201, 'loaded', '(unnamed)', 9.201]]);
  expect(residency(stopped)).toEqual([[9.201, 'loaded', 'llama2', 9.201], [317.201, 'unloaded', 'llama2', 'runner stopped']]);
  expect(stopped.observed.models.llama2).toMatchObject({ loads: 1, unloads: 1, resident_s: 308 });
});

describe('DEBUG excerpts', () => {
  test('#7766 (v0.4, journalctl): the request-finished line names the model of the GIN line and pins its end to the ms', () => {
    const r = imp('7766-debug-journal.log');
    expect(residency(r)).toEqual([[7.317, 'loaded', 'sha256-dde5aa3fc5ff', 1.51]]);
    expect(inference(r)).toEqual([[1, 0, 7.317, '/api/generate', 200, 'sha256-dde5aa3fc5ff', 'debug', 7_316_823_000]]);
    expect(r.requests[0]).toMatchObject({ at_window: [0, 0], keep_alive_effective: '5m0s' });
    expect(rows(r)).toEqual(['1,0,sha256-dde5aa3fc5ff,0,,,,,,']);
    expect(gaps(r)).toEqual(REQUEST_GAPS);
  });

  test('#7130 (v0.3, docker compose): an embed request attributed at DEBUG; health checks are other requests', () => {
    const r = imp('7130-debug-embed.log');
    expect(inference(r)).toEqual([[1, 0, 0.705, '/api/embed', 200, 'sha256-819c2adf5ce6', 'debug', null]]);
    expect(rows(r)).toEqual(['1,0,sha256-819c2adf5ce6,0.704668,,,,,,']);
    expect(r.requests[0]!.keep_alive_effective).toBe('1m0s');
    expect(r.observed.requests.by_op).toEqual({ embed: 1, other: 6 });
  });

  test('#7130: a keep_alive expiry decided (timer expired) but cut before the unload is not an unload', () => {
    const r = imp('7130-debug-expiry.log');
    expect(residency(r)).toEqual([]);
    expect(r.observed.unrecoverable).toEqual(['an unload of sha256-819c2adf5ce6 (keep_alive expired) decided at t=30.001 s and not seen done']);
  });

  test('#7130 completed by the next line of sched.go ("got lock to unload") is an unload for keep_alive', () => {
    const line = 'ollama  | time=2024-10-08T21:19:05.556Z level=DEBUG source=sched.go:365 msg="got lock to unload" modelPath=/root/.ollama/models/blobs/sha256-819c2adf5ce6df2b6bd2ae4ca90d2a69f060afeb438d0c171db57daa02e39c3d\n';
    const r = importLog(read('7130-debug-expiry.log') + line, { source: 'x' });
    expect(residency(r)).toEqual([[30.002, 'unloaded', 'sha256-819c2adf5ce6', 'keep_alive expired']]);
    expect(r.observed.unrecoverable).toEqual([]);
  });

  test('#6148 (v0.3, Windows, no zone): "loading first model" … "finished setting up runner" is a 9.65 s load', () => {
    const r = imp('6148-debug-first-load.log');
    expect(r.observed.log.zone).toBe('UTC (the log prints no zone)');
    expect(residency(r)).toEqual([[22.704, 'loaded', 'sha256-ff1d1fc78170', 9.65]]);
    expect(r.observed.unrecoverable).toEqual([]);
  });

  test('#18123 (v0.3x, runner.* group): an eviction decided, not seen done; the runner group gives name, size and num_ctx', () => {
    const r = imp('18123-debug-eviction.log');
    expect(residency(r)).toEqual([]);
    expect(r.observed.models).toEqual({
      'embeddinggemma:latest': { loads: 0, unloads: 0, size: 672976077, size_vram: 672976077, context_length: 2048, digest: 'sha256:0800cbac9c2064dde519420e75e512a83cb360de3ad5df176185dc69652fc515', resident_s: 0 },
    });
    expect(r.observed.unrecoverable).toEqual(['an unload of embeddinggemma:latest (evicted) decided at t=0 s and not seen done']);
  });

  test('#17902 (MLX, digest:, +03:00): a failed load unloads; the 500 belongs to the only model in the log', () => {
    const r = imp('17902-debug-failed-load.log');
    expect(r.observed.log.zone).toBe('UTC+03:00');
    expect(residency(r)).toEqual([[228.741, 'unloaded', 'qwen3.8:27b-mlx', 'load failed']]);
    expect(inference(r)).toEqual([[1, 1, 228.5, '/api/generate', 500, 'qwen3.8:27b-mlx', 'single_model', null]]);
    // The GIN line's local 01:52:04 is 22:52:04 UTC, as the slog lines' +03:00 says.
    expect(r.requests[0]!.wall).toBe('2026-08-20T22:48:17.000Z');
    expect(rows(r)).toEqual(['1,1,qwen3.8:27b-mlx,0,,,,,,']);
    expect(gaps(r)).toContain('the model of 1 request for certain');
  });

  test('#6408 (v0.3.5): the server config line says DEBUG before any DEBUG line; "Listening on" gives the version', () => {
    const r = imp('6408-debug-startup.log');
    expect(r.observed).toMatchObject({ version: '0.3.5', versions: [{ t: 0.52, version: '0.3.5' }], started_at: '2024-08-19T06:09:56.000Z' });
    expect(r.observed.log).toMatchObject({ level: 'DEBUG', recognised: 4, zone: 'UTC+08:00' });
  });
});

describe('the whole corpus: exactly what each excerpt shows', () => {
  // [file, inference requests, of them with a model, other requests, loads, unloads, lines, server lines]
  test.each([
    ['1365-legacy-2023.log', 0, 0, 0, 1, 0, 7, 1],
    ['13805-info-gin-only.log', 2, 0, 6, 0, 0, 8, 8],
    ['1703-legacy-failed-start.log', 1, 0, 6, 0, 0, 9, 9],
    ['17482-info-llama-server.log', 0, 0, 0, 1, 0, 6, 2],
    ['17902-debug-failed-load.log', 1, 1, 0, 0, 1, 4, 4],
    ['18123-debug-eviction.log', 0, 0, 0, 0, 0, 3, 3],
    ['6148-debug-first-load.log', 0, 0, 0, 1, 0, 7, 7],
    ['6408-debug-startup.log', 0, 0, 0, 0, 0, 4, 4],
    ['7130-debug-embed.log', 1, 1, 6, 0, 0, 10, 10],
    ['7130-debug-expiry.log', 0, 0, 3, 0, 0, 7, 7],
    ['7408-info-load-chat.log', 1, 0, 0, 1, 0, 18, 4],
    ['7766-debug-journal.log', 1, 1, 0, 1, 0, 6, 6],
    ['8387-info-long-latency.log', 10, 0, 0, 0, 0, 10, 10],
    ['9509-info-load-start.log', 0, 0, 0, 0, 0, 11, 5],
  ] as const)('%s', (name, inf, withModel, other, loads, unloads, lines, server) => {
    const r = imp(name);
    const q = r.requests.filter((x) => x.op !== 'other');
    expect([q.length, q.filter((x) => x.model !== null).length, r.requests.length - q.length]).toEqual([inf, withModel, other]);
    expect(rows(r)).toHaveLength(withModel);
    const ev = r.observed.residency;
    expect([ev.filter((e) => e.event === 'loaded').length, ev.filter((e) => e.event === 'unloaded').length]).toEqual([loads, unloads]);
    expect([r.observed.log.lines, r.observed.log.recognised, r.observed.log.malformed]).toEqual([lines, server, 0]);
    // Every request counted once; every time on or after t = 0.
    expect(new Set(r.requests.map((x) => x.id)).size).toBe(r.requests.length);
    expect(r.requests.every((x) => x.at >= 0 && x.at_window[0] >= 0 && x.at_window[0] <= x.at && x.at <= x.at_window[1] && x.at <= x.end)).toBe(true);
    expect(ev.every((e) => e.t >= 0 && (e.load_started ?? 0) >= 0)).toBe(true);
  });
});

describe('the form record writes', () => {
  test('every import has the core trace header and the observed format', () => {
    for (const name of ['7766-debug-journal.log', '13805-info-gin-only.log']) {
      const r = imp(name);
      expect(r.trace[0]).toBe(TRACE_HEADER);
      expect(r.observed.format).toBe('ollamasim-observed/1');
      expect(r.observed.upstream).toBe(`log:${name}`);
      expect(r.observed.requests.total).toBe(r.requests.length);
    }
  });

  test('same input, same bytes', () => {
    const a = imp('7408-info-load-chat.log', 'm');
    const b = imp('7408-info-load-chat.log', 'm');
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
