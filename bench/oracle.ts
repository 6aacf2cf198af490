import { simpleHost } from '../src/config/hardware.js';
import type { ResolvedScenario } from '../src/config/types.js';
import { rngStream } from '../src/engine/index.js';
import { Op, TraceBuilder } from '../src/workload/trace.js';
import { Status } from '../src/events/index.js';
import type { Req } from '../src/ollama/index.js';

/**
 * One model on one big GPU, Poisson arrivals of rate λ, service times drawn
 * exponential (mean 1/μ) or fixed: the M/M/c and M/D/1 oracle worlds.
 */
export function poissonWorld(opts: {
  n: number; lambda: number; service: number; exponential: boolean; slots: number; keepAlive: string;
  load?: number; warm?: boolean; seed?: number;
}): ResolvedScenario {
  const arr = rngStream(opts.seed ?? 1, 'arrivals');
  const svc = rngStream(opts.seed ?? 1, 'service');
  const b = new TraceBuilder(opts.n);
  let t = 0;
  for (let i = 0; i < opts.n; i++) {
    t += -Math.log(1 - arr()) / opts.lambda;
    const d = opts.exponential ? -Math.log(1 - svc()) * opts.service : opts.service;
    b.push(Math.round(t * 1e6), 0, Math.max(1, Math.round(d * 1e6)), NaN, 0, Infinity, Op.generate, null);
  }
  const GiB = 2 ** 30;
  return {
    file: 'oracle', name: 'oracle', seed: 1, horizon: 3600e6, modelNames: ['m'], warnings: [],
    warm: opts.warm ? [{ model: 0, keepAlive: NaN }] : [],
    trace: b.build(),
    candidates: [{
      name: 'c', raw: {},
      server: { OLLAMA_KEEP_ALIVE: opts.keepAlive, OLLAMA_NUM_PARALLEL: opts.slots },
      host: simpleHost([80 * GiB], 0),
      models: [{ name: 'm', vram: GiB, p: GiB, arch: null, load: (opts.load ?? 0) * 1e6, keepAlive: NaN, key: 'm', loadFailsAfter: Infinity, numCtx: 0, nCtxTrain: 0 }],
      warm: opts.warm ? [{ model: 0, keepAlive: NaN }] : [],
    }],
  };
}

/** Mean wait (start − arrival) of successful requests, in seconds. */
export function meanWaitSeconds(sc: ResolvedScenario, run: (sc: ResolvedScenario, done: (r: Req) => void) => void): number {
  let sum = 0;
  let n = 0;
  run(sc, (r) => {
    if (r.status === Status.ok) {
      sum += r.start - r.arrival;
      n++;
    }
  });
  return sum / n / 1e6;
}
