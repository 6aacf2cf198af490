import { type ArrivalSource, Engine } from '../engine/index.js';
import { EventKind, type EventSink, Reason } from '../events/index.js';
import {
  arrive, endRun, Ev, handleEvent, loadWarm, Prio, Scheduler, type RequestSink, type SchedEngine, type SchedulerConfig,
} from '../ollama/index.js';
import type { ResolvedUsers } from '../config/types.js';
import { ClosedLoopUsers } from './closed-loop.js';
import type { ServiceTimes } from './world.js';
import { type FleetSpec, Router } from './router.js';
import { RetryingClients, type RetryPolicy } from './retry.js';
import { keepAliveOf, numCtxOf, opOf, timeoutOf, type Trace } from '../workload/trace.js';

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
  /** Several Ollama servers behind a router; events of host h also go to hostEvents(h) when given. */
  fleet?: FleetSpec;
  hostEvents?: (host: number) => EventSink;
  /** Closed-loop users making requests during the run, and the seed their draws come from. */
  users?: ResolvedUsers;
  seed?: number;
  /** Fleet server h's scheduler settings (its own page cache, its memory hook); default: `sched` for every server. */
  hostSched?: (host: number) => SchedulerConfig;
  /** Told when a runner on host h starts or stops running requests, with its share of each GPU (power estimates). */
  runnerBusy?: (host: number, t: number, gpuShare: readonly number[], busy: boolean) => void;
  /** Work per request on this candidate's host (src/sim/world.ts); default: the trace's durations as written. */
  service?: ServiceTimes;
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

/**
 * One candidate, one run: the engine pulls arrivals from the trace and the
 * scheduler answers them. The run ends when nothing is left to happen, or at
 * the horizon after the last arrival; requests still held then are stuck.
 */
export function simulate(input: RunInput): RunStats {
  const { trace } = input;
  const n = trace.length;
  const service = input.service ?? AS_WRITTEN;
  const engine = new Engine();
  const lastArrival = Math.max(n > 0 ? trace.at[n - 1]! : 0, input.users?.end ?? 0);
  const until = lastArrival + input.horizon;
  // Results flow scheduler → retrying clients → closed-loop users → the caller's sink.
  let users: ClosedLoopUsers | null = null;
  const afterRetries: RequestSink = { done: (r) => (users ?? input.requests).done(r) };
  const clients = input.retry && input.retry.attempts > 1 ? new RetryingClients(input.retry, afterRetries, input.events, until) : null;
  // One Ollama server per fleet host (one without a fleet), each with its own scheduler and GPUs.
  const fleet = input.fleet ?? { hosts: 1, router: 'round-robin' as const };
  const hosts = Array.from({ length: fleet.hosts }, (_, h) =>
    new Scheduler(hostView(engine, h), serverSched(input, h), input.hostEvents?.(h) ?? input.events, clients ?? afterRetries));
  const router = fleet.hosts > 1 ? new Router(fleet, hosts, input.seed ?? 1) : null;
  for (const s of hosts) {
    for (const w of input.warm) {
      if (!loadWarm(s, w.model, w.keepAlive)) {
        throw new Error(`warm model ${input.sched.models[w.model]!.name} does not fit beside the others`);
      }
    }
  }
  for (const f of input.faults ?? []) {
    for (let h = 0; h < hosts.length; h++) engine.schedule(f.at, Prio.fault, hostKind(h, f.kind === 'restart' ? Ev.restart : Ev.runtimeOom), f.model);
  }
  /** A request (or a client's retry of it) reaches the server now. */
  const send = (i: number, attempt: number, firstArrival: number) => {
    const own = i < n;
    const made = own ? null : users!.request(i);
    const model = made ? made.model : trace.model[i]!;
    const h = router ? router.route(model) : 0;
    const s = hosts[h]!;
    if (router) input.events.event(engine.now, EventKind.route, model, i, Reason.none, h);
    let keepAlive = own ? keepAliveOf(trace, i) : NaN;
    if (Number.isNaN(keepAlive)) keepAlive = input.clientKeepAlive[model]!;
    const r = own
      ? s.newRequest(i, model, service.ofTrace(trace, i), keepAlive, numCtxOf(trace, i), timeoutOf(trace, i), opOf(trace, i), attempt, firstArrival)
      : s.newRequest(i, model, made!.duration, keepAlive, 0, Infinity, 0, attempt, firstArrival);
    r.scalable = own ? trace.fromTokens?.[i] === 1 : made!.fromTokens;
    arrive(s, r);
  };
  if (input.users) users = new ClosedLoopUsers(input.users, input.seed ?? 1, n, input.requests, (i) => send(i, 1, engine.now), service);
  let i = 0;
  const fromTrace: ArrivalSource = {
    peekTime: () => (i < n ? trace.at[i]! : Infinity),
    deliver: () => {
      send(i, 1, trace.at[i]!);
      i++;
      if ((i & (PROGRESS_EVERY - 1)) === 0) input.onProgress?.(i);
    },
  };
  const opened = users ? mergeSources(fromTrace, users) : fromTrace;
  const source = clients ? clients.source(opened, send) : opened;
  const end = engine.run((kind, arg) => handleEvent(hosts[kind >> HOST_SHIFT]!, kind & KIND_MASK, arg), source, until);
  for (const s of hosts) endRun(s);
  const requests = n + (users?.count ?? 0);
  return { requests, engineEvents: engine.handled + requests + (clients?.retries ?? 0), end, retries: clients?.retries ?? 0 };
}

/** The scheduler configuration of server h (its own, or the candidate's), with the busy hook told which server it is. */
function serverSched(input: RunInput, h: number): SchedulerConfig {
  const sched = input.hostSched?.(h) ?? input.sched;
  const busy = input.runnerBusy;
  return busy ? { ...sched, onRunnerBusy: (t, share, b) => busy(h, t, share, b) } : sched;
}

/** Durations as the trace gives them (tests and benchmarks that build worlds by hand). */
const AS_WRITTEN: ServiceTimes = {
  ofTrace: (t, i) => t.duration[i]!,
  ofDuration: (_m, us) => us,
  ofTokens: () => { throw new Error('token-sized users need a world (src/sim/world.ts)'); },
  key: 'as written',
};

/** A host's events carry its index in the high bits of the engine kind. */
const HOST_SHIFT = 5;
const KIND_MASK = (1 << HOST_SHIFT) - 1;
const hostKind = (host: number, kind: number) => (host << HOST_SHIFT) | kind;

/** The engine as one host's scheduler sees it: its events are tagged with the host. */
function hostView(engine: Engine, host: number): SchedEngine {
  if (host === 0) return engine;
  return {
    get now() { return engine.now; },
    schedule: (at, priority, kind, arg) => engine.schedule(at, priority, hostKind(host, kind), arg),
    cancel: (handle) => engine.cancel(handle),
  };
}

/** Two arrival streams as one, the first going first at equal times. */
function mergeSources(a: ArrivalSource, b: ArrivalSource): ArrivalSource {
  return {
    peekTime: () => Math.min(a.peekTime(), b.peekTime()),
    deliver: () => (b.peekTime() < a.peekTime() ? b.deliver() : a.deliver()),
  };
}
