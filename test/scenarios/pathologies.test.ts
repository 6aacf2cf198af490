/**
 * The pathology detector (src/ollama/pathologies.ts): hang_start / hang_end
 * events and summary.json `pathologies` on the spec's own scenarios —
 * §6.2 #17 (head-of-line blocking, ollama#14578), #18 (resurrection,
 * ollama#17408) and #13 / #19 (reload starvation, ollama#14407).
 */
import { describe, expect, test } from 'vitest';
import { PATHOLOGIES } from '../../src/ollama/index.js';
import { only } from '../helpers/record.js';
import { DEFAULTS, run1 } from '../helpers/run-yaml.js';

const hol = (r4: string, extra = '') => `${DEFAULTS}
models:
  A: { vram: 50GiB, load: 5s }
  B: { vram: 40GiB, load: 5s }
  C: { vram: 10GiB, load: 5s }
warm: [ A ]
workload:
  requests:
    - { id: R1, at: 0, model: A, duration: 100 }
    - { id: R2, at: 10, model: B, duration: 10 }
    - { id: R3, at: 20, model: C, duration: 10 }
    - { id: R4, at: 30, model: A, duration: 10${r4} }
${extra}`;

const reload = (chain: number, d = 60) => `${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s, num_ctx: 8192 } }
warm: [ A ]
workload:
  requests:
    - { at: 0, model: A, duration: 60 }
    - { at: 10, model: A, duration: 5, num_ctx: 16384 }
${Array.from({ length: chain }, (_, i) => `    - { at: ${20 + 40 * i}, model: A, duration: ${d} }`).join('\n')}
`;

describe('pathology detector', () => {
  test('§6.2 #17: C, which fits, waits behind the eviction of busy A from 20 until the unloaded signal at 111 (#14578)', async () => {
    const r = await run1(hol(''));
    expect(only(r.events, 'hang_start', 'hang_end')).toEqual([
      [20, 'hang_start', 'A', 'R3', 'head_of_line'], [111, 'hang_end', 'A', '', 'head_of_line'],
    ]);
    expect(r.result.summary.pathologies).toEqual([{ kind: 'head_of_line', requests: 1, wait_s: 91, issue: 'ollama#14578' }]);
  });

  test('§6.2 #18: R4\'s "5m" un-marks A; A idles at 110 with a timer instead of unloading — resurrection until 411 (#17408)', async () => {
    const r = await run1(hol(', keep_alive: "5m"'));
    expect(only(r.events, 'hang_start', 'hang_end')).toEqual([
      [20, 'hang_start', 'A', 'R3', 'head_of_line'],
      [110, 'hang_start', 'A', 'R2', 'resurrection'],
      [411, 'hang_end', 'A', '', 'resurrection'], [411, 'hang_end', 'A', '', 'head_of_line'],
    ]);
    expect(r.result.summary.pathologies).toEqual([
      { kind: 'resurrection', requests: 2, wait_s: 301, issue: 'ollama#17408' }, // R2 in hand, R3 queued
      { kind: 'head_of_line', requests: 1, wait_s: 391, issue: 'ollama#14578' },
    ]);
  });

  test('§6.2 #18 with -1: the hang never ends; it is charged until the traffic stops (200) and its requests are stuck', async () => {
    const r = await run1(hol(', keep_alive: -1', '    - { id: R5, at: 200, model: B, duration: 1 }\n'));
    expect(only(r.events, 'hang_start', 'hang_end').filter((e) => e[4] === 'resurrection')).toEqual([
      [110, 'hang_start', 'A', 'R2', 'resurrection'], [300, 'hang_end', 'A', '', 'resurrection'], // the run ends with A's stale timer
    ]);
    expect(r.result.summary).toMatchObject({ stuck: 3 });
    expect(r.result.summary.pathologies[0]).toEqual({ kind: 'resurrection', requests: 3, wait_s: 90, issue: 'ollama#17408' });
  });

  test('no keep_alive on R4 (the mark stays): no resurrection; a "0" keep_alive neither', async () => {
    for (const ka of ['', ', keep_alive: 0']) {
      const r = await run1(hol(ka));
      expect(r.result.summary.pathologies.map((p) => p.kind)).toEqual(['head_of_line']);
    }
  });

  test('§6.2 #13: the reload waits 60–71 only because a fast-path request came after the mark (#14407)', async () => {
    const r = await run1(reload(1, 10));
    expect(only(r.events, 'hang_start', 'hang_end')).toEqual([
      [60, 'hang_start', 'A', '2', 'reload_starvation'], [71, 'hang_end', 'A', '', 'reload_starvation'],
    ]);
  });

  test('§6.2 #19: old-option requests always in flight starve the reload from 60 to 541 (#14407)', async () => {
    const r = await run1(reload(8));
    expect(r.result.summary.pathologies).toEqual([{ kind: 'reload_starvation', requests: 1, wait_s: 481, issue: 'ollama#14407' }]);
  });

  test('head_of_line counts every queued request of a model that would load, once, across consecutive waits', async () => {
    const r = await run1(hol('', `    - { id: R5, at: 31, model: C, duration: 1 }
    - { id: R6, at: 32, model: B, duration: 1 }
`));
    // R3 and R5 (C, 10 GiB) would load beside A; R6 (B, 40 GiB) would not.
    expect(r.result.summary.pathologies).toEqual([{ kind: 'head_of_line', requests: 2, wait_s: 91, issue: 'ollama#14578' }]);
  });

  test('the three causes have consecutive reasons (the summary indexes them so)', () => {
    expect(PATHOLOGIES.map((p) => p.reason - PATHOLOGIES[0].reason)).toEqual([0, 1, 2]);
  });

  test('a wait nothing explains records nothing: an idle victim, and a busy one nobody else uses', async () => {
    const idle = await run1(`${DEFAULTS}
models: { A: { vram: 40GiB, load: 5s }, B: { vram: 35GiB, load: 5s } }
warm: [ A ]
workload: { requests: [ { at: 0, model: B, duration: 10 } ] }
`);
    expect(only(idle.events, 'hang_start', 'hang_end')).toEqual([]);
    const busy = await run1(reload(0));
    expect(busy.result.summary.pathologies).toEqual([]);
  });
});

describe('pathology detector: the OOM retry\'s wait (evictAllAndWait, sched.go:1586-1630)', () => {
  const oom = (keepAlive: string) => `host: { gpus: [ { vram: 24GiB } ], unload: 1s }
models:
  E: { vram: 10GiB, load: 1s }
  X: { vram: 20GiB, p: 4GiB, load: 5s, num_ctx: 8192 }
  C: { vram: 2GiB, p: 1GiB, load: 1s }
warm: [ E ]
workload:
  requests:
    - { id: R1, at: 0, model: E, duration: 20 }
    - { id: R2, at: 1, model: X, duration: 1 }
    - { id: R3, at: 10, model: E, duration: 20${keepAlive} }
    - { id: R4, at: 12, model: C, duration: 1 }
`;

  test('a client\'s keep_alive un-marks E during the retry\'s wait: E idles with a timer at 40 instead of unloading — resurrection until its timer (#17408), and C, which fits, waits behind it (#14578)', async () => {
    const r = await run1(oom(', keep_alive: "5m"'));
    expect(only(r.events, 'hang_start', 'hang_end')).toEqual([
      [12, 'hang_start', 'E', 'R4', 'head_of_line'],
      [40, 'hang_start', 'E', 'R2', 'resurrection'],
      [341, 'hang_end', 'E', '', 'resurrection'], [341, 'hang_end', 'E', '', 'head_of_line'],
    ]);
    expect(r.requests.get('R4')).toMatchObject({ status: 'ok' });
  });

  test('without the client\'s keep_alive E unloads when R3 ends: no resurrection, only C waiting behind the eviction', async () => {
    const r = await run1(oom(''));
    expect(only(r.events, 'hang_start', 'hang_end')).toEqual([
      [12, 'hang_start', 'E', 'R4', 'head_of_line'], [41, 'hang_end', 'E', '', 'head_of_line'],
    ]);
  });
});
