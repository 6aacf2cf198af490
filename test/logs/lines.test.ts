/**
 * The line forms and model identities Ollama has logged (src/logs/line.ts,
 * identity.ts), and what the importer does when one input changes.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importLog } from '../../src/logs/assemble.js';
import { humanBytes, refOf, refOfCommand } from '../../src/logs/identity.js';
import { logfmt, parseLine } from '../../src/logs/line.js';

const DIR = join(import.meta.dirname, '../fixtures/logs');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const SHA = 'dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff';

describe('line forms', () => {
  test('slog text: zone, level, source, quoted msg and attributes, after any prefix', () => {
    const l = parseLine(`Nov 21 06:14:48 host ollama[1]: time=2024-11-21T06:14:48.644+08:00 level=DEBUG source=sched.go:339 msg="adding timer" modelPath=/x/sha256-${SHA} duration=5m0s`);
    expect(l).toEqual({ kind: 'slog', t: Date.UTC(2024, 10, 20, 22, 14, 48, 644), offsetMin: 480, level: 'DEBUG', source: 'sched.go:339', msg: 'adding timer', attrs: { modelPath: `/x/sha256-${SHA}`, duration: '5m0s' } });
  });

  test('GIN: local second, status, latency (exact, or whole seconds past a minute), method and path', () => {
    expect(parseLine('[GIN] 2024/10/08 - 20:16:00 | 200 |  704.668383ms |      172.21.0.1 | POST     "/api/embed"')).toEqual({
      kind: 'gin', localMs: Date.UTC(2024, 9, 8, 20, 16, 0), status: 200, latencyUs: 704668, whole: false, method: 'POST', path: '/api/embed',
    });
    expect(parseLine('[GIN] 2024/12/11 - 09:58:58 | 500 |        29m59s |     192.0.2.123 | POST     "/api/chat"')).toMatchObject({ latencyUs: 1799e6, whole: true });
    expect(parseLine('[GIN] 2024/12/11 - 09:58:58 | 500 |  59s |  ::1 | POST "/api/chat"')).toMatchObject({ whole: false });
  });

  test('the log package before slog', () => {
    expect(parseLine('Dec 03 14:58:42 osm ollama[937]: 2023/12/03 14:58:42 llama.go:492: llama runner started in 9.200880 seconds')).toEqual({
      kind: 'legacy', localMs: Date.UTC(2023, 11, 3, 14, 58, 42), source: 'llama.go:492', text: 'llama runner started in 9.200880 seconds',
    });
  });

  test('runner output is not a server line; a GIN or slog line that cannot be read is malformed', () => {
    expect(parseLine('llama_new_context_with_model: n_ctx      = 16384')).toBeNull();
    expect(parseLine('[GIN-debug] POST   /api/pull   --> handler (5 handlers)')).toBeNull();
    expect(parseLine('[GIN] 2024/13/45 - 99:00:00 | 200 | 1s | ::1 | GET "/"')).toBe('malformed');
    expect(parseLine('[GIN] 2024/11/21 - 06:14:48 | 200 |')).toBe('malformed');
    expect(parseLine('time=2024-11-21T06:14:48.644Z level=INFO source=x.go:1 msg="cut sho')).toBe('malformed');
  });

  test('logfmt: Go-quoted values with escapes', () => {
    expect(logfmt('msg="a \\"b\\" c" k=v e=""')).toEqual({ msg: 'a "b" c', k: 'v', e: '' });
  });

  test('no line makes the parser throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => { parseLine(s); parseLine(`time=2024-01-01T00:00:00Z level=INFO source=a msg=${s}`); parseLine(`[GIN] ${s}`); }));
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 30 }), (lines) => { importLog(lines.join('\n'), { source: 'x' }); }));
  });
});

describe('model identity, in each form Ollama used', () => {
  test('model= and modelPath= (a blob path, sched.go until v0.6)', () => {
    expect(refOf({ model: `/usr/share/ollama/.ollama/models/blobs/sha256-${SHA}` })).toEqual({ digest: SHA });
    expect(refOf({ modelPath: `C:\\Users\\u\\.ollama\\models\\blobs\\sha256-${SHA}` })).toEqual({ digest: SHA });
  });

  test('the runner group (v0.7+) with name, sizes and num_ctx; digest: for models held by digest', () => {
    expect(refOf({ 'runner.name': 'registry.ollama.ai/library/qwen3:8b', 'runner.model': `digest:${SHA}`, 'runner.size': '16.9 GiB', 'runner.vram': '0 B', 'runner.num_ctx': '4096' })).toEqual({
      digest: SHA, name: 'qwen3:8b', size: Math.round(16.9 * 1024 ** 3), vram: 0, numCtx: 4096,
    });
  });

  test('a runner command line names the blob and its context', () => {
    expect(refOfCommand(`/usr/bin/ollama runner --model /m/blobs/sha256-${SHA} --ctx-size 8192 --port 1`)).toEqual({ digest: SHA, numCtx: 8192 });
    expect(refOfCommand(`/usr/lib/ollama/llama-server --model /m/blobs/sha256-${SHA} --port 1 -c 105000 -np 1`)).toEqual({ digest: SHA, numCtx: 105000 });
    expect(refOfCommand('/usr/bin/ollama runner --ollama-engine --port 1')).toBeNull();
    expect(humanBytes('641.8 MiB')).toBe(672976077);
  });
});

describe('one input changed, the answer moves as it must', () => {
  test('a GIN line one second later moves an INFO arrival one second later', () => {
    const base = importLog(read('13805-info-gin-only.log'), { source: 'x', model: 'm' });
    const later = importLog(read('13805-info-gin-only.log').replace('23:21:17 | 200 |  200.665714ms', '23:21:18 | 200 |  200.665714ms'), { source: 'x', model: 'm' });
    expect(later.requests.find((r) => r.line === 6)!.at - base.requests.find((r) => r.line === 6)!.at).toBeCloseTo(1, 6);
  });

  test('a longer latency moves the arrival earlier by the difference', () => {
    const base = importLog(read('7130-debug-embed.log'), { source: 'x' });
    const slower = importLog(read('7130-debug-embed.log').replace('704.668383ms', '1.704668383s'), { source: 'x' });
    expect(base.requests[0]!.end - base.requests[0]!.at).toBeCloseTo(0.705, 3);
    expect(slower.requests[0]!.end - slower.requests[0]!.at).toBeCloseTo(1.705, 3);
  });

  test('a longer "started in" moves the load\'s back-computed start earlier', () => {
    const a = importLog(read('17482-info-llama-server.log'), { source: 'x' }).observed.residency[0]!;
    const b = importLog(read('17482-info-llama-server.log').replace('5.42 seconds', '7.42 seconds'), { source: 'x' }).observed.residency[0]!;
    expect([a.load_s, b.load_s]).toEqual([5.42, 7.42]);
    // Same ready instant; t = 0 is the earliest instant, the start.
    expect(b.t - a.t).toBeCloseTo(2, 6);
  });

  test('the DEBUG excerpt without its DEBUG lines loses what only DEBUG shows: the model and the exact end', () => {
    const debug = read('7766-debug-journal.log');
    const info = debug.split('\n').filter((l) => !l.includes('level=DEBUG')).join('\n');
    const d = importLog(debug, { source: 'x' });
    const i = importLog(info, { source: 'x' });
    expect(d.requests[0]).toMatchObject({ model: 'sha256-dde5aa3fc5ff', attributed_by: 'debug' });
    expect(i.requests[0]!.model).toBeNull();
    expect(i.observed.log.level).toBe('INFO');
    expect(i.observed.residency.map((e) => e.model)).toEqual(['(unnamed)']);
    expect(i.trace).toHaveLength(1);
  });

  test('at INFO, a second load of the same blob shows it was unloaded before (and nothing more)', () => {
    const start = (t: string) => `time=2025-03-05T${t}Z level=INFO source=server.go:380 msg="starting llama server" cmd="/usr/bin/ollama runner --model /m/blobs/sha256-${SHA} --ctx-size 8192 --port 1"`;
    const ready = (t: string, s: string) => `time=2025-03-05T${t}Z level=INFO source=server.go:601 msg="llama runner started in ${s} seconds"`;
    const log = [start('06:00:00.000'), ready('06:00:02.000', '2.00'), start('06:10:00.000'), ready('06:10:01.500', '1.50')].join('\n');
    const r = importLog(log, { source: 'x' });
    expect(r.observed.residency.map((e) => [e.t, e.event, e.reason ?? e.load_s])).toEqual([
      [2, 'loaded', 2],
      [600, 'unloaded', 'unloaded before a reload (the unload itself is not logged at this level)'],
      [601.5, 'loaded', 1.5],
    ]);
    expect(r.observed.models['sha256-dde5aa3fc5ff']).toMatchObject({ loads: 2, unloads: 1, context_length: 8192, resident_s: 598 });
  });

  test('"Listening on" again is a restart: the new process holds nothing', () => {
    const listen = (t: string, v: string) => `time=2025-03-05T${t}Z level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version ${v})"`;
    const ready = `time=2025-03-05T06:00:02.000Z level=DEBUG source=sched.go:1 msg="finished setting up runner" model=/m/sha256-${SHA}`;
    const r = importLog([listen('06:00:00.000', '0.3.5'), ready, listen('07:00:00.000', '0.3.6')].join('\n'), { source: 'x' });
    expect(r.observed.versions).toEqual([{ t: 0, version: '0.3.5' }, { t: 3600, version: '0.3.6' }]);
    expect(r.observed.upstream_events).toEqual([{ t: 3600, event: 'restart', detail: 'the server logged "Listening on" again (version 0.3.6)' }]);
    expect(r.observed.residency.map((e) => [e.t, e.event, e.reason ?? null])).toEqual([[2, 'loaded', null], [3600, 'unloaded', 'restart']]);
    expect(r.observed.unrecoverable).toContain('load time of 1 load: seen ready at DEBUG without a "started in" line or a start');
  });

  test('--model is not used when the log names two models', () => {
    const done = (t: string, sha: string) => `time=2025-03-05T${t}Z level=DEBUG source=sched.go:1 msg="after processing request finished event" modelPath=/m/sha256-${sha} refCount=0`;
    const other = 'a'.repeat(64);
    const log = [done('06:00:00.100', SHA), done('06:00:05.100', other), '[GIN] 2025/03/05 - 06:00:09 | 200 | 1s | ::1 | POST "/api/chat"'].join('\n');
    const r = importLog(log, { source: 'x', model: 'm' });
    expect(r.requests[0]!.model).toBeNull();
    expect(r.observed.unrecoverable).toContain('--model m not used: the log names more than one model');
  });
});

describe('a whole DEBUG lifecycle in the runner.* form (constructed from sched.go at the spec\'s commit, lines cited)', () => {
  const runner = `runner.name=registry.ollama.ai/library/qwen3:8b runner.inference="[{ID:0 Library:CUDA}]" runner.size="6.2 GiB" runner.vram="6.2 GiB" runner.parallel=1 runner.pid=4242 runner.model=/m/blobs/sha256-${SHA} runner.num_ctx=4096`;
  const at = (t: string, src: string, m: string, extra = '') => `time=2026-08-21T10:00:${t}Z level=DEBUG source=${src} msg="${m}" ${runner}${extra}`.trimEnd();
  const log = [
    `time=2026-08-21T10:00:00.000Z level=INFO source=server.go:109 msg="using llama-server for model" model=/m/blobs/sha256-${SHA}`,
    `time=2026-08-21T10:00:00.010Z level=INFO source=llama_server.go:433 msg="starting llama-server" cmd="/usr/lib/ollama/llama-server --model /m/blobs/sha256-${SHA} --port 40000 -c 4096 -np 1"`,
    'time=2026-08-21T10:00:03.210Z level=INFO source=llama_server.go:1362 msg="llama-server started in 3.20 seconds"',
    at('03.211', 'sched.go:740', 'finished setting up'),
    at('05.500', 'sched.go:394', 'runner with non-zero duration has gone idle, adding timer', ' duration=5s'),
    at('05.500', 'sched.go:412', 'after processing request finished event', ' refCount=0'),
    '[GIN] 2026/08/21 - 10:00:05 | 200 |  5.400000000s |       127.0.0.1 | POST     "/api/chat"',
    at('10.500', 'sched.go:396', 'timer expired, expiring to unload'),
    at('10.500', 'sched.go:415', 'runner expired event received'),
    at('10.501', 'sched.go:430', 'got lock to unload expired event'),
  ].join('\n');

  test('a load (3.2 s, begun at 0.01), the chat that waited for it, and its keep_alive expiry 5 s after it ended', () => {
    const r = importLog(log, { source: 'x' });
    expect(r.observed.residency).toEqual([
      { t: 3.21, event: 'loaded', model: 'qwen3:8b', size: 6657199309, size_vram: 6657199309, context_length: 4096, load_started: 0.01, load_s: 3.2, line: 3 },
      { t: 10.501, event: 'unloaded', model: 'qwen3:8b', reason: 'keep_alive expired', line: 10 },
    ]);
    expect(r.requests).toEqual([expect.objectContaining({ id: 1, at: 0.1, end: 5.5, model: 'qwen3:8b', attributed_by: 'debug', keep_alive_effective: '5s', at_window: [0.1, 0.1], response: { total_duration: 5.4e9, load_duration: 3.11e9 } })]);
    expect(r.trace.slice(1)).toEqual(['1,0.1,qwen3:8b,2.29,,,,,,']);
    expect(r.observed.models['qwen3:8b']).toMatchObject({ loads: 1, unloads: 1, resident_s: 7.291, digest: `sha256:${SHA}` });
    expect(r.observed.unrecoverable).toEqual(REQUEST_GAPS_ONLY);
  });
});

const REQUEST_GAPS_ONLY = [
  'prompt and output tokens, keep_alive and num_ctx as the client sent them, and streaming: the log has no request bodies',
  'preload and unload requests (an empty prompt): GIN shows them as ordinary requests',
  'queueing inside a request: its duration is the latency less any load seen inside it',
];
