import { EventHeap, type PoppedEvent } from './heap.js';

/**
 * The discrete-event kernel: a clock, a heap of pending events and a loop.
 * Like SimPy's Environment it knows nothing of the model it drives: an event
 * is a (kind, arg) pair of integers handed back to the model's handler.
 *
 * Time is a float64 holding whole microseconds, so sums of durations are exact.
 */
export type Handler = (kind: number, arg: number) => void;

/**
 * A stream of external arrivals, pulled as the clock reaches them instead of
 * being pushed into the heap up front (the heap then holds only pending work).
 * At equal times every heap event goes before an arrival.
 */
export interface ArrivalSource {
  /** Time of the next arrival, or Infinity when there are no more. */
  peekTime(): number;
  /** Delivers the next arrival; the engine's clock is already at its time. */
  deliver(): void;
}

export class Engine {
  now = 0;
  /** Heap events handled so far (arrivals are counted by their source). */
  handled = 0;
  private readonly heap = new EventHeap();
  private seq = 0;
  private readonly cancelled = new Set<number>();
  private readonly popped: PoppedEvent = { time: 0, seq: 0, kind: 0, arg: 0 };

  /** Schedules (kind, arg) at absolute time `at`; returns a handle for cancel. */
  schedule(at: number, priority: number, kind: number, arg: number): number {
    if (!(at >= this.now)) throw new Error(`engine: event scheduled in the past (${at} < ${this.now})`);
    const id = this.seq++;
    this.heap.push(at, priority, id, kind, arg);
    return id;
  }

  /** Cancels a scheduled event; it is dropped when it reaches the top of the heap. */
  cancel(handle: number): void {
    if (handle >= 0) this.cancelled.add(handle);
  }

  get pending(): number {
    return this.heap.size - this.cancelled.size;
  }

  /**
   * Runs until no event and no arrival is left, or the next one is later than
   * `until`. Returns the time of the last thing handled.
   */
  run(handler: Handler, source: ArrivalSource | null, until = Infinity): number {
    const p = this.popped;
    for (;;) {
      const tHeap = this.heap.peekTime();
      const tArr = source ? source.peekTime() : Infinity;
      if (tArr < tHeap) {
        if (tArr > until) break;
        this.now = tArr;
        source!.deliver();
        continue;
      }
      if (tHeap === Infinity || tHeap > until) break;
      this.heap.pop(p);
      if (this.cancelled.size > 0 && this.cancelled.delete(p.seq)) continue;
      this.now = p.time;
      this.handled++;
      handler(p.kind, p.arg);
    }
    return this.now;
  }

  /**
   * Handles everything due up to `t`, then sets the clock to `t` (for a driver
   * that injects arrivals as they happen, e.g. a simulator answering HTTP in
   * wall-clock time). Arrivals injected after this see heap events of the same
   * instant already handled, as run() orders them.
   */
  advanceTo(handler: Handler, t: number): void {
    this.run(handler, null, t);
    if (t > this.now && Number.isFinite(t)) this.now = t;
  }

  /** Time of the next scheduled event (possibly a cancelled one), or Infinity. */
  nextTime(): number {
    return this.heap.peekTime();
  }
}
