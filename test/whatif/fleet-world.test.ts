import { expect, test } from 'vitest';
import { EventKind } from '../../src/events/index.js';
import { loadScenario } from '../../src/io/load-scenario.js';
import { runScenario } from '../../src/sim/run-scenario.js';
import { writeScenario } from '../helpers/whatif.js';

test('every server of a fleet has its own page cache: a file read on one does not load warm on another', async () => {
  const sc = await loadScenario(writeScenario({
    name: 'two servers, one disk each',
    host: { gpu: 'rtx-4090', storage: 'hdd' },
    models: { 'llama3.1:8b': {} },
    fleet: { hosts: 2, router: 'round-robin' },
    workload: { requests: [{ at: 0, model: 'llama3.1:8b', duration: 1 }, { at: 1, model: 'llama3.1:8b', duration: 1 }] },
  }));
  const starts: number[] = [];
  const loads: number[] = [];
  runScenario(sc, {
    events: () => ({
      event: (t, kind) => {
        if (kind === EventKind.load_start) starts.push(t);
        if (kind === EventKind.load_end) loads.push(t - starts[loads.length]!);
      },
    }),
  });
  // 1 s runner start + 4.9 GB at an HDD's 0.1 GB/s, on both servers (from the page cache it would be ≈ 1.3 s).
  expect(loads.map((us) => Math.round(us / 1e6))).toEqual([50, 50]);
});

test('the trace is parsed once and shared: every world reads the same columns, and only a rate_scale makes a new trace', async () => {
  const { resolveWorld } = await import('../../src/sim/world.js');
  const sc = await loadScenario(writeScenario({
    name: 'shared', host: { gpu: 'rtx-4090' }, models: { 'llama3.1:8b': {} },
    workload: { requests: [{ at: 0, model: 'llama3.1:8b', prompt_tokens: 100, output_tokens: 10 }, { at: 5, model: 'llama3.1:8b', prompt_tokens: 50, output_tokens: 20 }] },
    candidates: [{ name: 'a' }, { name: 'b', host: { gpu: 'h100-sxm' } }, { name: 'c', rate_scale: 2 }],
  }));
  const [a, b, c] = sc.candidates.map((x) => resolveWorld(sc, x));
  expect(a!.trace).toBe(sc.trace);
  expect(b!.trace).toBe(sc.trace);
  expect(c!.trace).not.toBe(sc.trace);
  expect(c!.trace.promptTokens).toBeDefined(); // copies keep their token counts
  // The same row, timed on each world's own GPU.
  expect(b!.service.ofTrace(sc.trace, 0)).toBeLessThan(a!.service.ofTrace(sc.trace, 0));
});
