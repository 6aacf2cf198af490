import { type ArrivalSource, Engine, HOUR } from '../engine/index.js';
import type { EventSink } from '../events/index.js';
import {
  arrive, endRun, Ev, handleEvent, loadWarm, Prio, Scheduler, type RequestSink, type SchedulerConfig,
} from '../ollama/index.js';
import { RetryingClients, type RetryPolicy } from './retry.js';
import type { Trace } from '../workload/trace.js';

/** A model resident before the first request (the scenario's `warm` list). */
export interface WarmModel {
  model: number;
  keepAlive: number; // µs; NaN = OLLAMA_KEEP_ALIVE
}

export interface RunInput {
  trace: Trace;
  sched: SchedulerConfig;
  /** keep_alive clients send per model when a request carries none (µs; NaN = absent). */
  clientKeepAlive: Float64Array;
  warm: readonly WarmModel[];
  /** Timers that fire later than this after the last arrival are not waited for (µs). */
  horizon: number;
  events: EventSink;
  requests: RequestSink;
  /** Called every PROGRESS_EVERY arrivals with the number delivered so far. */
  onProgress?: (arrived: number) => void;
  /** Server restarts and runtime OOMs at given times (load crashes go in sched.loadCrashes). */
  faults?: readonly TimedFault[];
  /** Clients re-send requests answered 503 or 500. */
  retry?: RetryPolicy;
}

export interface TimedFault {
  at: number;
  kind: 'restart' | 'runtime_oom';
  model: number;
}

export const PROGRESS_EVERY = 1 << 16;

export interface RunStats {
  requests: number;
  /** Scheduler events handled by the engine, plus arrivals. */
  engineEvents: number;
  /** Simulated time of the last thing that happened, µs. */
  end: number;
  /** Client retries sent. */
  retries: number;
}

export const DEFAULT_HORIZON = 24 * HOUR;

/**
 * One candidate, one run: the engine pulls arrivals from the trace and the
 * scheduler answers them. The run ends when nothing is left to happen, or at
 * the horizon after the last arrival; requests still held then are stuck.
 */
export function simulate(input: RunInput): RunStats {
  const { trace } = input;
  const engine = new Engine();
  const lastArrival = trace.length > 0 ? trace.at[trace.length - 1]! : 0;
  const until = lastArrival + input.horizon;
  const clients = input.retry && input.retry.attempts > 1 ? new RetryingClients(input.retry, input.requests, input.events, until) : null;
  const s = new Scheduler(engine, input.sched, input.events, clients ?? input.requests);
  for (const w of input.warm) {
    if (!loadWarm(s, w.model, w.keepAlive)) {
      throw new Error(`warm model ${input.sched.models[w.model]!.name} does not fit beside the others`);
    }
  }
  for (const f of input.faults ?? []) {
    engine.schedule(f.at, Prio.fault, f.kind === 'restart' ? Ev.restart : Ev.runtimeOom, f.model);
  }
  /** A request (or a client's retry of it) reaches the server now. */
  const send = (i: number, attempt: number, firstArrival: number) => {
    const model = trace.model[i]!;
    let keepAlive = trace.keepAlive[i]!;
    if (Number.isNaN(keepAlive)) keepAlive = input.clientKeepAlive[model]!;
    const r = s.newRequest(
      i, model, trace.duration[i]!, keepAlive, trace.numCtx[i]!, trace.timeout[i]!, trace.op[i] as 0 | 1 | 2,
      attempt, firstArrival,
    );
    arrive(s, r);
  };
  let i = 0;
  const n = trace.length;
  const fromTrace: ArrivalSource = {
    peekTime: () => (i < n ? trace.at[i]! : Infinity),
    deliver: () => {
      send(i, 1, trace.at[i]!);
      i++;
      if ((i & (PROGRESS_EVERY - 1)) === 0) input.onProgress?.(i);
    },
  };
  const source = clients ? clients.source(fromTrace, send) : fromTrace;
  const end = engine.run((kind, arg) => handleEvent(s, kind, arg), source, until);
  endRun(s);
  return { requests: n, engineEvents: engine.handled + n + (clients?.retries ?? 0), end, retries: clients?.retries ?? 0 };
}
