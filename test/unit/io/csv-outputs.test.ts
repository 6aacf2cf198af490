/**
 * requests.csv and events.csv are a contract: the buffer writer (inline or on
 * its writer thread) must give the same bytes as the plain string formatting
 * the files were first written with, kept here as the reference.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ResolvedScenario } from '../../../src/config/types.js';
import { EVENT_NAMES, EventKind, REASON_NAMES, Status, STATUS_NAMES } from '../../../src/events/index.js';
import { csvField, seconds } from '../../../src/io/file-writer.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { EVENTS_HEADER, REQUESTS_HEADER, RunOutputs } from '../../../src/io/run-outputs.js';
import type { Req } from '../../../src/ollama/index.js';
import { runScenario } from '../../../src/sim/run-scenario.js';
import { requestId } from '../../../src/workload/trace.js';
import { files } from './fixture.js';

/** The original formatting: one template string per row. */
function reference(sc: ResolvedScenario): { requests: string; events: string } {
  let requests = REQUESTS_HEADER + '\n';
  let events = EVENTS_HEADER + '\n';
  const models = sc.modelNames.map(csvField);
  runScenario(sc, {
    requests: (cand) => ({
      done(r: Req) {
        const answered = !Number.isNaN(r.end);
        requests += `${csvField(cand)},${csvField(requestId(sc.trace, r.index))},${models[r.model]},${seconds(r.firstArrival)},` +
          `${seconds(r.admitted)},${seconds(r.start)},${seconds(r.end)},${STATUS_NAMES[r.status]},` +
          `${r.status === Status.stuck ? '' : r.http},${r.cold ? 1 : 0},${answered ? seconds(r.end - r.firstArrival) : ''}\n`;
      },
    }),
    events: (cand) => ({
      event(t, kind, model, request, reason, value) {
        const id = request >= 0 ? csvField(requestId(sc.trace, request)) : '';
        const why = kind === EventKind.route ? `host${value}` : REASON_NAMES[reason];
        events += `${csvField(cand)},${t / 1e6},${EVENT_NAMES[kind]},${models[model]},${id},${why}\n`;
      },
    }),
  });
  return { requests, events };
}

const SCENARIO = `name: bytes
seed: 3
host: { gpus: [ { vram: 16GiB } ], unload: 1.5s }
fleet: { hosts: 2, router: random }
models:
  a: { vram: 5GiB, load: 2.25s }
  "b,\\"c\\"": { vram: 9GiB, load: 3s }
  d: { vram: 7GiB, load: 1s }
retry: { attempts: 2, backoff: 1s }
workload:
  synthetic:
    length: 2h
    models:
      a: { rate: 300/h, duration: { median: 0.7, p95: 5 } }
      "b,\\"c\\"": { rate: 120/h, duration: 2.5 }
      d: { rate: 60/h, duration: { median: 0.01, p95: 0.2 } }
candidates:
  - { name: keep 5m }
  - { name: "unload, at \\"once\\"", server: { OLLAMA_KEEP_ALIVE: "0", OLLAMA_MAX_QUEUE: 2 } }
`;

const IDS = `name: ids
host: { gpus: [ { vram: 8GiB } ] }
models: { a: { vram: 5GiB, load: 2s }, b: { vram: 5GiB, load: 2s } }
workload:
  requests:
    - { id: "r,1", at: 0, model: a, duration: 3 }
    - { at: 0.000001, model: b, duration: 1, timeout: 0.5 }
    - { id: "é\\"2", at: 1.5, model: a, duration: 123456.789012 }
    - { id: plain, at: 2, model: b, duration: 0 }
`;

const MANY = `name: many batches
host: { gpus: [ { vram: 8GiB } ] }
models: { a: { vram: 5GiB, load: 2s }, b: { vram: 5GiB, load: 2s } }
workload:
  synthetic:
    length: 1h
    models: { a: { rate: 20000/h, duration: 0.05 }, b: { rate: 8000/h, duration: 0.1 } }
`;

describe('the CSV writer gives the reference bytes', () => {
  test.each([['a fleet with retries, odd names and two candidates', SCENARIO], ['named ids, µs times, a timeout', IDS], ['28 k requests: many batches to the writer thread', MANY]])('%s, inline and on the writer thread', async (_, yaml) => {
    const dir = files({ 's.yaml': yaml });
    const sc = await loadScenario(join(dir, 's.yaml'));
    const want = reference(sc);
    expect(want.requests.split('\n').length).toBeGreaterThan(4);
    if (yaml === SCENARIO) expect(want.events).toMatch(/,route,.*,host1\n/);
    for (const thread of [false, true]) {
      const out = join(dir, `out-${thread}`);
      const files = new RunOutputs(out, sc, { thread });
      runScenario(sc, { requests: (c) => files.requests(c), events: (c) => files.events(c) });
      files.close();
      expect(readFileSync(join(out, 'requests.csv'), 'utf8')).toBe(want.requests);
      expect(readFileSync(join(out, 'events.csv'), 'utf8')).toBe(want.events);
    }
  });
});
