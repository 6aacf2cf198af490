/**
 * A sweep parses its trace file once: later loads (other seeds, worker
 * threads) take it from the cache, and its columns are shared memory, so a
 * worker's structured clone reads the parent's bytes rather than a copy.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { loadScenario, type TraceCache } from '../../../src/io/load-scenario.js';
import { files, HEAD } from './fixture.js';

const CSV = 'at,model,duration\n0,phi3:mini,1\n2.5,llama3.1:8b,0.25\n';

test('the second load of the same trace file takes the parsed columns from the cache, not the file', async () => {
  const dir = files({ 's.yaml': `${HEAD}workload: { trace: t.csv }\n`, 't.csv': CSV });
  const traces: TraceCache = new Map();
  const a = await loadScenario(join(dir, 's.yaml'), { traces });
  rmSync(join(dir, 't.csv'));
  const b = await loadScenario(join(dir, 's.yaml'), { traces, seed: 7 });
  expect(b.trace).toBe(a.trace);
  expect(Array.from(b.trace.at)).toEqual([0, 2.5e6]);
  // Without the cache the file is read again (and is gone).
  await expect(loadScenario(join(dir, 's.yaml'))).rejects.toThrow(/t\.csv: no such file/);
});

test('trace columns are SharedArrayBuffers: what a worker receives is the same memory', async () => {
  const dir = files({ 's.yaml': `${HEAD}workload: { trace: t.csv }\n`, 't.csv': CSV });
  const { trace } = await loadScenario(join(dir, 's.yaml'));
  for (const column of [trace.at, trace.model, trace.duration]) expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(trace);
  const received = receiveMessageOnPort(port2)!.message as typeof trace;
  received.duration[0] = 42;
  expect(trace.duration[0]).toBe(42);
  port1.close();
});

test('a sweep over a trace file: the workers run on the parent\'s parsed trace, with the same results as one thread', async () => {
  const { runSweep } = await import('../../../src/cli/sweep-pool.js');
  const rows = Array.from({ length: 200 }, (_, i) => `${i * 7},${i % 3 ? 'phi3:mini' : 'llama3.1:8b'},${1 + (i % 5)}`).join('\n');
  const dir = files({ 's.yaml': `${HEAD}workload: { trace: t.csv }\nsweep: { OLLAMA_KEEP_ALIVE: [0, 5m, 30s] }\n`, 't.csv': `at,model,duration\n${rows}\n` });
  const one = await runSweep(join(dir, 's.yaml'), { axes: [], replications: 2, jobs: 1 });
  const two = await runSweep(join(dir, 's.yaml'), { axes: [], replications: 2, jobs: 2 });
  expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  expect(one.cells.map((c) => c.runs[0]!.requests)).toEqual([200, 200, 200]);
  // Changing the setting changes the answer: unload at once reloads more than keeping for 5m.
  expect(one.cells[0]!.runs[0]!.loads).toBeGreaterThan(one.cells[1]!.runs[0]!.loads);
});
