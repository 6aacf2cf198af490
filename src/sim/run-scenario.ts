import type { ResolvedScenario } from '../config/types.js';
import { type EventSink, TeeSink } from '../events/index.js';
import { MetricsCollector, summarize, type CandidateSummary } from '../metrics/index.js';
import type { Req, RequestSink } from '../ollama/index.js';
import { runnerKeys, schedulerConfig } from './candidate.js';
import { simulate, type RunStats } from './run.js';

/** Optional per-candidate outputs (CSV writers, test recorders). */
export interface RunHooks {
  events?(candidate: string): EventSink | null;
  requests?(candidate: string): RequestSink | null;
  /** Requests replayed so far over all candidates, out of candidates × trace length. */
  progress?(done: number, total: number): void;
  /** Check the scheduler's invariants after every event (slower; tests and soak runs). */
  checkInvariants?: boolean;
}

export interface CandidateResult {
  summary: CandidateSummary;
  stats: RunStats;
}

/**
 * Runs every candidate of a scenario over the same trace, one after another.
 * Each gets a fresh engine and scheduler; the trace is shared, read-only.
 */
export function runScenario(sc: ResolvedScenario, hooks: RunHooks = {}): CandidateResult[] {
  const total = sc.candidates.length * sc.trace.length;
  return sc.candidates.map((c, ci) => {
    const before = ci * sc.trace.length;
    const sched = { ...schedulerConfig(c), checkInvariants: hooks.checkInvariants === true };
    const { keyOf, keyNames } = runnerKeys(c.models);
    const metrics = new MetricsCollector(keyOf, keyNames.length);
    const ev = hooks.events?.(c.name);
    const rq = hooks.requests?.(c.name);
    const stats = simulate({
      trace: sc.trace,
      sched,
      clientKeepAlive: Float64Array.from(c.models, (m) => m.keepAlive),
      warm: c.warm,
      faults: c.faults,
      users: sc.users,
      seed: sc.seed,
      retry: c.retry ?? undefined,
      horizon: sc.horizon,
      events: ev ? new TeeSink([metrics, ev]) : metrics,
      requests: rq ? teeRequests(metrics, rq) : metrics,
      onProgress: hooks.progress ? (n) => hooks.progress!(before + n, total) : undefined,
    });
    hooks.progress?.(before + sc.trace.length, total);
    return { summary: summarize(c.name, metrics, c.eviction), stats };
  });
}

function teeRequests(a: RequestSink, b: RequestSink): RequestSink {
  return { done: (r: Req) => { a.done(r); b.done(r); } };
}
