import { Engine, HOUR } from '../engine/index.js';
import type { EventSink } from '../events/index.js';
import {
  arrive, endRun, handleEvent, loadWarm, Scheduler, type RequestSink, type SchedulerConfig,
} from '../ollama/index.js';
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
}

export const PROGRESS_EVERY = 1 << 16;

export interface RunStats {
  requests: number;
  /** Scheduler events handled by the engine, plus arrivals. */
  engineEvents: number;
  /** Simulated time of the last thing that happened, µs. */
  end: number;
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
  const s = new Scheduler(engine, input.sched, input.events, input.requests);
  for (const w of input.warm) {
    if (!loadWarm(s, w.model, w.keepAlive)) {
      throw new Error(`warm model ${input.sched.models[w.model]!.name} does not fit beside the others`);
    }
  }
  let i = 0;
  const n = trace.length;
  const source = {
    peekTime: () => (i < n ? trace.at[i]! : Infinity),
    deliver: () => {
      const model = trace.model[i]!;
      let keepAlive = trace.keepAlive[i]!;
      if (Number.isNaN(keepAlive)) keepAlive = input.clientKeepAlive[model]!;
      const r = s.newRequest(
        i, model, trace.duration[i]!, keepAlive,
        trace.numCtx[i]!, trace.timeout[i]!, trace.op[i] as 0 | 1 | 2,
      );
      i++;
      arrive(s, r);
      if ((i & (PROGRESS_EVERY - 1)) === 0) input.onProgress?.(i);
    },
  };
  const lastArrival = n > 0 ? trace.at[n - 1]! : 0;
  const end = engine.run((kind, arg) => handleEvent(s, kind, arg), source, lastArrival + input.horizon);
  endRun(s);
  return { requests: n, engineEvents: engine.handled + n, end };
}
