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
