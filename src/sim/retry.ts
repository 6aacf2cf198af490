import type { ArrivalSource } from '../engine/index.js';
import { EventKind, type EventSink, Reason, Status } from '../events/index.js';
import type { Req, RequestSink } from '../ollama/index.js';

/**
 * Clients that retry (`retry: { attempts, backoff }`): a request answered 503
 * (queue full) or 500 (load failure, restart, runtime OOM) is sent again after
 * backoff × 2^(k−1) for its k-th retry, until it succeeds or has used all its
 * attempts. Only the last attempt reaches the results, so every request is
 * still accounted for exactly once; its latency counts from the first send.
 */
export interface RetryPolicy {
  attempts: number; // total, including the first
  backoff: number; // µs
}

interface Pending {
  at: number;
  index: number;
  attempt: number;
  firstArrival: number;
}

export class RetryingClients implements RequestSink {
  /** Retries waiting to be sent, ordered by (time, request index). */
  private readonly queue: Pending[] = [];
  retries = 0;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly next: RequestSink,
    private readonly events: EventSink,
    /** The run stops here: a retry due later is never sent, and the failure stands. */
    private readonly until: number,
  ) {}

  done(r: Req): void {
    const retryable = (r.status === Status.rejected && r.http === 503) || r.status === Status.failed;
    const at = r.end + this.policy.backoff * 2 ** (r.attempt - 1);
    if (!retryable || r.attempt >= this.policy.attempts || at > this.until) {
      this.next.done(r);
      return;
    }
    this.events.event(r.end, EventKind.retry, r.model, r.index, Reason.none, at);
    this.insert({ at, index: r.index, attempt: r.attempt + 1, firstArrival: r.firstArrival });
    this.retries++;
  }

  /** Merges retries with the trace's own arrivals (trace first at equal times). */
  source(trace: ArrivalSource, send: (index: number, attempt: number, firstArrival: number) => void): ArrivalSource {
    return {
      peekTime: () => Math.min(trace.peekTime(), this.queue[0]?.at ?? Infinity),
      deliver: () => {
        const head = this.queue[0];
        if (head && head.at < trace.peekTime()) {
          this.queue.shift();
          send(head.index, head.attempt, head.firstArrival);
        } else {
          trace.deliver();
        }
      },
    };
  }

  private insert(p: Pending): void {
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1]!.at > p.at || (this.queue[i - 1]!.at === p.at && this.queue[i - 1]!.index > p.index))) i--;
    this.queue.splice(i, 0, p);
  }
}
