/**
 * Closed-loop users (issue "Workloads"): the next request waits for the
 * previous answer, so a slower setting also means fewer requests.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULTS, run1 } from '../helpers/run-yaml.js';

const users = (extra: string) => `${DEFAULTS}
models: { A: { vram: 10GiB, load: 10s } }
warm: [ A ]
workload:
  synthetic:
    length: 100s
    users: { count: 1, models: [ A ], think_time: { uniform: [10, 10] }, duration: 5 }
${extra}`;

describe('closed-loop users', () => {
  test('one user: think 10 s, work 5 s, again — until the workload length', async () => {
    const r = await run1(users(''));
    const starts = [...r.requests.values()].map((q) => [q.arrival, q.end]);
    expect(starts).toEqual([[10, 15], [25, 30], [40, 45], [55, 60], [70, 75], [85, 90], [100, 105]]);
  });

  test('feedback: unloading after every request (keep_alive 0) makes each cycle pay a load, so fewer requests are made', async () => {
    const r = await run1(users('candidates: [ { name: zero, server: { OLLAMA_KEEP_ALIVE: "0" } } ]'));
    expect([...r.requests.values()].map((q) => q.arrival)).toEqual([10, 35, 60, 85]);
    expect(r.result.summary).toMatchObject({ requests: 4, cold_starts: 4 }); // the warm model too unloads at once under 0
  });

  test('requests given as tokens take their time from the catalogue rates of the GPU (field-notes §5)', async () => {
    const r = await run1(`
host: { gpu: rtx-4090 }
models: { llama3.1:8b: { load: 1s } }
warm: [ llama3.1:8b ]
workload:
  synthetic:
    length: 30s
    users: { count: 1, models: [ llama3.1:8b ], think_time: { uniform: [20, 20] }, prompt_tokens: 1000, output_tokens: 100 }
`);
    const q = r.requests.get('1')!;
    expect(q.end! - q.start!).toBeCloseTo(1000 / 6898.71 + 100 / 127.74, 5);
  });

  test('many users spread their first requests over a think time; the same seed gives the same run', async () => {
    const yaml = users('').replace('count: 1', 'count: 20').replace('think_time: { uniform: [10, 10] }', 'think_time: 30s');
    const a = await run1(yaml);
    const b = await run1(yaml);
    expect(a.events).toEqual(b.events);
    const firsts = [...a.requests.values()].slice(0, 20).map((q) => q.arrival);
    expect(new Set(firsts).size).toBeGreaterThan(15);
  });
});
