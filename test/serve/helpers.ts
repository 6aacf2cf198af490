import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { EVENT_NAMES, REASON_NAMES, type EventSink } from '../../src/events/index.js';
import { loadScenario } from '../../src/io/load-scenario.js';
import type { ObservedDocument, RecordedRequest, RecordingSink } from '../../src/record/recorder.js';
import type { Clock } from '../../src/serve/live.js';
import { startServe, type ServeHandle } from '../../src/serve/server.js';

/** The real clock (tests pass it in, as the CLI does). */
export const realClock: Clock = { now: () => performance.now(), wall: () => Date.now() };

/**
 * Two 5 GiB models on an 8 GiB GPU — only one fits, so switching models
 * evicts — with short loads and fast token rates so a test takes a second.
 */
export const TWO_MODELS = `
name: serve test
seed: 7
server: { OLLAMA_KEEP_ALIVE: 5m, OLLAMA_MAX_QUEUE: 512 }
host: { gpus: [ { vram: 8GiB } ], unload: 0.05s }
models:
  alpha: { vram: 5GiB, load: 0.25s, prefill_tps: 2000, decode_tps: 400 }
  beta:  { vram: 5GiB, load: 0.15s, prefill_tps: 2000, decode_tps: 400 }
  embedder: { vram: 0.5GiB, load: 0.05s, prefill_tps: 5000, decode_tps: 1000 }
workload:
  requests: []
`;

export function writeScenario(yaml: string, extra: Record<string, string> = {}): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-serve-'));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, yaml);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return { dir, file };
}

export type EventRow = [number, string, string, string];

/** Starts serve on a free port; its scheduler events are collected as [t s, event, model, reason]. */
export async function serve(yaml: string, opts: { speed?: number; jitter?: number; outputTokens?: number } = {}): Promise<{ h: ServeHandle; events: EventRow[]; file: string; dir: string }> {
  const { file, dir } = writeScenario(yaml);
  const sc = await loadScenario(file);
  const events: EventRow[] = [];
  const sink: EventSink = { event: (t, k, m, _r, why) => events.push([t / 1e6, EVENT_NAMES[k]!, sc.modelNames[m]!, REASON_NAMES[why]!]) };
  const h = await startServe({
    scenario: sc, host: '127.0.0.1', port: 0, speed: opts.speed ?? 1, jitter: opts.jitter ?? 0,
    outputTokens: opts.outputTokens ?? 16, clock: realClock, events: sink,
  });
  return { h, events, file, dir };
}

/** A recording sink that keeps everything in memory. */
export class MemorySink implements RecordingSink {
  requests: RecordedRequest[] = [];
  rows: string[] = [];
  doc: ObservedDocument | null = null;
  request(r: RecordedRequest): void { this.requests.push(r); }
  traceRow(line: string): void { this.rows.push(line); }
  observed(doc: ObservedDocument): void { this.doc = JSON.parse(JSON.stringify(doc)) as ObservedDocument; }
}

/** A raw HTTP exchange: status, content type and the body bytes as received. */
export async function raw(url: string, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(url + path, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to 5 s) for something a server or proxy does on its own time (a poll, a cut), then asserts it. */
export async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await sleep(10);
  expect(cond()).toBe(true);
}

/** Servers and proxies a test starts, closed after it (last started, first closed). */
export function closedAfterEach(): (() => Promise<void>)[] {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  return closers;
}
