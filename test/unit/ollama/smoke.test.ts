import { expect, test } from 'vitest';
import type { ResolvedScenario } from '../../../src/config/types.js';
import { TraceBuilder, Op } from '../../../src/workload/trace.js';
import { only, record } from '../../helpers/record.js';

const GiB = 2 ** 30;
function scenario(reqs: [number, string, number, number?][], models: Record<string, [number, number]>): ResolvedScenario {
  const names = Object.keys(models);
  const b = new TraceBuilder();
  for (const [at, m, d, ka] of reqs) b.push(at * 1e6, names.indexOf(m), d * 1e6, ka ?? NaN, 0, Infinity, Op.generate, null);
  return {
    file: 'x', name: 'x', seed: 1, horizon: 24 * 3600e6, modelNames: names, warm: [], warnings: [],
    trace: b.build(),
    candidates: [{
      name: 'c', server: {}, raw: {}, host: { gpus: [80 * GiB], unload: 1e6 },
      models: names.map((n) => ({ name: n, vram: models[n]![0] * GiB, p: models[n]![0] * GiB, load: models[n]![1] * 1e6,
        keepAlive: NaN, key: n, loadFailsAfter: Infinity, numCtx: 0, nCtxTrain: 0 })),
    }],
  };
}

test('smoke: scenario 1 default timer', () => {
  const rec = record(scenario([[0, 'A', 10]], { A: [10, 5] })).get('c')!;
  expect(rec.events).toEqual([
    [0, 'arrive', 'A', '1', ''],
    [0, 'load_start', 'A', '1', ''],
    [5, 'load_end', 'A', '1', ''],
    [5, 'admitted', 'A', '1', 'loaded'],
    [5, 'start', 'A', '1', ''],
    [15, 'finish', 'A', '1', ''],
    [15, 'timer_start', 'A', '', ''],
    [315, 'unload', 'A', '', 'expired'],
    [316, 'unloaded', 'A', '', ''],
  ]);
  expect(rec.result.summary).toMatchObject({ ok: 1, cold_starts: 1, loads: 1 });
  console.log(rec.result.summary, only(rec.events, 'unload'));
});
