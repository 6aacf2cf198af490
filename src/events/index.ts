/**
 * What the scheduler reports, one record per decision. The scheduler emits
 * numbers only (no strings, no objects) so that a million-request run does not
 * allocate per event; sinks turn them into CSV rows or fold them into metrics.
 */
export const EventKind = {
  arrive: 0,
  queued: 1,
  rejected: 2,
  admitted: 3,
  start: 4,
  finish: 5,
  fail: 6,
  cancel: 7,
  load_start: 8,
  load_end: 9,
  load_fail: 10,
  timer_start: 11,
  mark: 12,
  unload: 13,
  unloaded: 14,
  drop: 15,
  /** The client will send this request again (its retry policy). */
  retry: 16,
  /** A fault from the scenario happens (server restart, runtime OOM, memory another process takes or frees). */
  fault: 17,
  /** A fleet's router sends a request to a host (value = host index). */
  route: 18,
  /**
   * The scheduler starts / stops waiting on something a known Ollama pathology
   * explains (reason = the pathology; value on hang_end = requests it held that
   * no earlier episode of that pathology had held). See src/ollama/pathologies.ts.
   */
  hang_start: 19,
  hang_end: 20,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];
export const EVENT_NAMES: readonly string[] = Object.keys(EventKind);

/** Why something happened; empty for most events. */
export const Reason = {
  none: 0,
  expired: 1,
  evicted: 2,
  reload: 3,
  unload_request: 4,
  fast_path: 5,
  pending: 6,
  loaded: 7,
  queue_full: 8,
  bad_keep_alive: 9,
  load_failed: 10,
  client_timeout: 11,
  preload: 12,
  no_op: 13,
  runtime_oom: 14,
  restart: 15,
  load_crash: 16,
  /** A load ran out of GPU memory (load_fail, fail): llama-server's startup OOM (spec §5.6). */
  oom: 17,
  /** Marked by evictAllAndWait before an OOM retry (mark, unload). */
  evict_all: 18,
  /** The OOM retry loads with the automatic context cut (load_start). */
  context_reduced: 19,
  /** A load made no progress for OLLAMA_LOAD_TIMEOUT (load_fail, fail). */
  load_timeout: 20,
  /** Another process takes or frees GPU memory (fault; value = bytes it now holds). */
  reserved: 21,
  /** E1: a new model whose GPUs were all loading goes back to the queue 250 ms later (queued; async-load.ts). */
  requeued: 22,
  /** Pathologies (hang_start / hang_end): ollama#17408, #14407, #14578 (consecutive: the summary indexes them so). */
  resurrection: 23,
  reload_starvation: 24,
  head_of_line: 25,
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
export const REASON_NAMES: readonly string[] = Object.keys(Reason).map((k) => (k === 'none' ? '' : k));

/** Final state of a request. */
export const Status = {
  pending: 0,
  ok: 1,
  rejected: 2,
  failed: 3,
  cancelled: 4,
  stuck: 5,
} as const;
export type Status = (typeof Status)[keyof typeof Status];
export const STATUS_NAMES: readonly string[] = Object.keys(Status);

/**
 * Receives every event. `model` is a model index, `request` a request index
 * (-1 for runner events), `value` a kind-specific number: VRAM bytes for load
 * and unload events, the expiry time for timer_start.
 */
export interface EventSink {
  event(t: number, kind: EventKind, model: number, request: number, reason: Reason, value: number): void;
}

/**
 * One sink that hands every event to each of `sinks` (nulls left out, nested
 * tees flattened), in order. Up to three are called directly: a loop over a
 * list was a tenth of a run's time when every event goes to the metrics, the
 * CSV writer and the hang spans.
 */
export function teeEvents(...sinks: (EventSink | null | undefined)[]): EventSink {
  const all = sinks.flatMap((s) => (s instanceof TeeSink ? s.sinks : s ? [s] : []));
  const [a, b, c] = all;
  if (all.length === 1) return a!;
  if (all.length === 2) return { event: (t, k, m, r, why, v) => { a!.event(t, k, m, r, why, v); b!.event(t, k, m, r, why, v); } };
  if (all.length === 3) return { event: (t, k, m, r, why, v) => { a!.event(t, k, m, r, why, v); b!.event(t, k, m, r, why, v); c!.event(t, k, m, r, why, v); } };
  return new TeeSink(all);
}

export class TeeSink implements EventSink {
  constructor(readonly sinks: EventSink[]) {}
  event(t: number, kind: EventKind, model: number, request: number, reason: Reason, value: number): void {
    for (const s of this.sinks) s.event(t, kind, model, request, reason, value);
  }
}
