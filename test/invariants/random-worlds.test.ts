/**
 * Invariants on random worlds (fast-check, fixed seed): whatever the models,
 * sizes, keep_alives, options, ops, timeouts and failing loads,
 *   INV-1 every request ends exactly once, with a final status;
 *   INV-2 its times are ordered: arrival ≤ admitted ≤ start ≤ end;
 *   INV-3 events come in time order, and memory held never goes negative;
 *   INV-4 a runner key is never loaded twice at once;
 *   INV-5 the same input gives the same events (determinism);
 *   INV-6 a load that runs out of memory is retried at most once per send (oomRetryAttempted);
 *   INV-7 pathology episodes pair up: per cause, hang_start and hang_end alternate and
 *         none is left open; a resurrection needs a client's non-zero keep_alive (#17408);
 *   and the scheduler's own S1–S5 (src/ollama/invariants.ts) after every event;
 * under every era's profile version (src/ollama/versions.ts: 0.6.8, 0.20.0, current),
 * with server restarts, runtime OOMs and retrying clients thrown in — and memory
 * running short: estimates below the real footprint (load OOMs and their retry),
 * memory other processes hold and take or free mid-run, and loads that stall.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { simpleHost } from '../../src/config/hardware.js';
import type { ResolvedScenario } from '../../src/config/types.js';
import { EventKind, Reason, Status } from '../../src/events/index.js';
import type { Req } from '../../src/ollama/index.js';
import { runScenario } from '../../src/sim/run-scenario.js';
import { Op, TraceBuilder } from '../../src/workload/trace.js';

const GiB = 2 ** 30;
const KEEP_ALIVES = [NaN, 0, Infinity, 30e6, 300e6, -1 /* INVALID → 400 */];

const world = fc.record({
  gpus: fc.array(fc.integer({ min: 8, max: 80 }), { minLength: 0, maxLength: 2 }),
  models: fc.array(
    fc.record({
      vram: fc.integer({ min: 1, max: 90 }), load: fc.integer({ min: 0, max: 30 }), fails: fc.boolean(), key: fc.integer({ min: 0, max: 5 }),
      // P as a share of the real footprint: below 1 the estimate is optimistic and loads can run out of memory.
      estimate: fc.constantFrom(1, 1, 0.5, 0.8), numCtx: fc.constantFrom(0, 8192),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  server: fc.record({
    OLLAMA_KEEP_ALIVE: fc.constantFrom('0', '-1', '5m', '30s'),
    OLLAMA_NUM_PARALLEL: fc.integer({ min: 1, max: 3 }),
    OLLAMA_MAX_LOADED_MODELS: fc.integer({ min: 0, max: 3 }),
    OLLAMA_MAX_QUEUE: fc.integer({ min: 0, max: 6 }),
    OLLAMA_LOAD_TIMEOUT: fc.constantFrom('30s', '5m', '0'),
  }),
  reserved: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 2, maxLength: 2 }),
  reserves: fc.array(fc.record({ at: fc.integer({ min: 0, max: 400 }), gpu: fc.nat(), gib: fc.integer({ min: 0, max: 12 }) }), { maxLength: 2 }),
  stalls: fc.array(fc.record({ model: fc.nat(), from: fc.integer({ min: 0, max: 300 }), length: fc.integer({ min: 1, max: 100 }) }), { maxLength: 1 }),
  faults: fc.array(fc.record({ at: fc.integer({ min: 0, max: 400 }), kind: fc.constantFrom('restart', 'runtime_oom'), model: fc.nat() }), { maxLength: 2 }),
  retry: fc.option(fc.record({ attempts: fc.integer({ min: 1, max: 3 }), backoff: fc.integer({ min: 0, max: 20 }) })),
  requests: fc.array(
    fc.record({
      gap: fc.integer({ min: 0, max: 40 }),
      model: fc.nat(),
      duration: fc.integer({ min: 0, max: 60 }),
      ka: fc.nat({ max: KEEP_ALIVES.length - 1 }),
      numCtx: fc.constantFrom(0, 0, 0, 2048, 8192),
      timeout: fc.constantFrom(Infinity, Infinity, 5, 20),
      op: fc.constantFrom(Op.generate, Op.generate, Op.generate, Op.preload, Op.unload),
    }),
    { minLength: 1, maxLength: 40 },
  ),
});

type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

/** The era profiles, plus E1's automatic NUM_PARALLEL when OLLAMA_NUM_PARALLEL is unset (0.6.6: 4). */
const PROFILES = ['current', '0.20.0', '0.6.8', '0.6.6'] as const;

function scenarioOf(w: World, version?: string): ResolvedScenario {
  const b = new TraceBuilder();
  let t = 0;
  for (const r of w.requests) {
    t += r.gap;
    b.push(t * 1e6, r.model % w.models.length, r.duration * 1e6, KEEP_ALIVES[r.ka]!, r.numCtx, r.timeout * 1e6, r.op, null);
  }
  const models = w.models.map((m, i) => ({
    name: `m${i}`, vram: m.vram * GiB, p: m.vram * m.estimate * GiB, arch: null, load: m.load * 1e6, keepAlive: NaN, key: `k${m.key}`,
    loadFailsAfter: m.fails ? m.load * 1e6 / 2 : Infinity, numCtx: m.numCtx, nCtxTrain: 0,
  }));
  const host = simpleHost(w.gpus.map((g) => g * GiB));
  host.reserved = w.gpus.map((g, i) => Math.min(g, w.reserved[i]!) * GiB);
  return {
    file: 'w', name: 'w', seed: 1, horizon: 3600e6, modelNames: models.map((m) => m.name), warm: [], warnings: [],
    trace: b.build(),
    candidates: [{
      name: 'c', host, models, warm: [], raw: {},
      server: version === '0.6.6' ? { ...w.server, OLLAMA_NUM_PARALLEL: '' } : w.server, version: version === 'current' ? undefined : version,
      reserveChanges: w.gpus.length === 0 ? [] : w.reserves.map((r, index) => ({ at: r.at * 1e6, gpu: r.gpu % w.gpus.length, bytes: Math.min(r.gib, w.gpus[r.gpu % w.gpus.length]!) * GiB, index })),
      loadStalls: w.stalls.map((st) => ({ model: st.model % models.length, from: st.from * 1e6, until: (st.from + st.length) * 1e6 })),
      faults: w.faults.map((f) => ({ at: f.at * 1e6, kind: f.kind as 'restart' | 'runtime_oom', model: f.model % models.length }))
        .sort((a, b) => a.at - b.at),
      retry: w.retry ? { attempts: w.retry.attempts, backoff: w.retry.backoff * 1e6 } : null,
    }],
  };
}

function observe(sc: ResolvedScenario) {
  const events: number[][] = [];
  const done: Req[] = [];
  runScenario(sc, {
    checkInvariants: true,
    events: () => ({ event: (t, kind, model, request, reason, value) => events.push([t, kind, model, request, reason, value]) }),
    requests: () => ({ done: (r) => done.push({ ...r }) }),
  });
  return { events, done };
}

/** 300 worlds in `npm test`; `npm run soak` sets OLLAMASIM_SOAK_RUNS=10000. */
const RUNS = Number(process.env.OLLAMASIM_SOAK_RUNS ?? 300);

describe('invariants on random worlds', () => {
  test.each(PROFILES)(`INV-1..7 and S1–S5 hold on ${RUNS} random worlds (fixed seed), Ollama %s`, (version) => {
    // What the worlds exercised: a property that never meets a load OOM proves nothing about it.
    const seen = { oom: 0, evictAll: 0, stall: 0, reserved: 0, requeued: 0, hang: 0 };
    fc.assert(
      fc.property(world, (w) => {
        const sc = scenarioOf(w, version);
        const { events, done } = observe(sc);
        // INV-1
        const ids = done.map((r) => r.index).sort((a, b) => a - b);
        expect(ids).toEqual(Array.from({ length: sc.trace.length }, (_, i) => i));
        for (const r of done) expect(r.status).not.toBe(Status.pending);
        // INV-2
        for (const r of done) {
          const times = [r.arrival, r.admitted, r.start, r.end].filter((x) => !Number.isNaN(x));
          for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
          if (r.status === Status.ok) expect(r.end).toBeGreaterThanOrEqual(r.start);
          if (r.status === Status.stuck) expect(r.end).toBeNaN();
        }
        // INV-3, INV-4
        let held = 0;
        const loadedKeys = new Set<string>();
        let prevT = 0;
        for (const [t, kind, model, , , value] of events) {
          expect(t!).toBeGreaterThanOrEqual(prevT);
          prevT = t!;
          const key = sc.candidates[0]!.models[model!]!.key;
          if (kind === EventKind.load_start) held += value!;
          if (kind === EventKind.load_fail || kind === EventKind.unloaded) held -= value!;
          expect(held).toBeGreaterThanOrEqual(0);
          if (kind === EventKind.load_end) {
            expect(loadedKeys.has(key)).toBe(false);
            loadedKeys.add(key);
          }
          if (kind === EventKind.unload) loadedKeys.delete(key);
        }
        // INV-6: a load OOM is retried at most once per send of a request (oomRetryAttempted).
        const ooms = new Map<number, number>();
        for (const [, kind, , request, reason] of events) {
          if (kind === EventKind.load_fail && reason === Reason.oom) {
            ooms.set(request!, (ooms.get(request!) ?? 0) + 1);
            expect(ooms.get(request!)).toBeLessThanOrEqual(2);
            seen.oom++;
          }
          if (kind === EventKind.fail || kind === EventKind.retry) ooms.delete(request!);
          if (kind === EventKind.mark && reason === Reason.evict_all) seen.evictAll++;
          if (kind === EventKind.load_fail && reason === Reason.load_timeout) seen.stall++;
          if (kind === EventKind.fault && reason === Reason.reserved) seen.reserved++;
          if (reason === Reason.requeued) seen.requeued++;
        }
        // INV-7
        const open = new Map<number, number>();
        for (const [, kind, model, , reason] of events) {
          if (kind === EventKind.hang_start) {
            seen.hang++;
            expect(open.has(reason!)).toBe(false);
            open.set(reason!, model!);
          } else if (kind === EventKind.hang_end) {
            expect(open.get(reason!)).toBe(model);
            open.delete(reason!);
          }
        }
        expect(open.size).toBe(0);
        const sendsKeepAlive = w.requests.some((r) => KEEP_ALIVES[r.ka]! > 0 && r.op !== Op.unload);
        if (!sendsKeepAlive) expect(events.some(([, kind, , , reason]) => kind === EventKind.hang_start && reason === Reason.resurrection)).toBe(false);
        // INV-5
        expect(observe(sc).events).toEqual(events);
      }),
      { seed: 20261125, numRuns: RUNS },
    );
    // Only the current version retries a load OOM (evictAllAndWait); only E1 re-queues behind a load.
    const expected = Object.keys(seen).filter((k) => (k !== 'evictAll' || version === 'current') && (k !== 'requeued' || version === '0.6.8' || version === '0.6.6'));
    for (const what of expected) expect(seen[what as keyof typeof seen], `${what} never happened`).toBeGreaterThan(0);
  });
});
