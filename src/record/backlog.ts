/**
 * Recording work that waits for the bytes: jobs run in order, a slice at a
 * time, each slice after the I/O the event loop has at hand. When 200 streams
 * end in the same few milliseconds, their records must not sit between the
 * chunks still arriving and the clients waiting for them; one slice holds a
 * chunk back by at most `sliceMs`.
 */
export class Backlog {
  private readonly jobs: (() => void)[] = [];
  private next = 0;
  private scheduled = false;

  /** `now`: a monotonic clock in ms (the injected one). */
  constructor(private readonly now: () => number, private readonly sliceMs = 0.25) {}

  add(job: () => void): void {
    this.jobs.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.slice);
    }
  }

  /** Runs every job left, now (the recording stops). */
  drain(): void {
    while (this.next < this.jobs.length) this.run();
    this.reset();
  }

  private readonly slice = (): void => {
    this.scheduled = false;
    const until = this.now() + this.sliceMs;
    do this.run();
    while (this.next < this.jobs.length && this.now() < until);
    if (this.next < this.jobs.length) {
      // Under steady traffic the list may never empty: drop what has run.
      if (this.next >= 1024) {
        this.jobs.splice(0, this.next);
        this.next = 0;
      }
      this.scheduled = true;
      setImmediate(this.slice);
    } else {
      this.reset();
    }
  };

  private run(): void {
    const job = this.jobs[this.next]!;
    this.jobs[this.next++] = noop;
    try {
      job();
    } catch {
      // A record that cannot be written costs that record, never the proxy.
    }
  }

  private reset(): void {
    this.jobs.length = 0;
    this.next = 0;
  }
}

const noop = (): void => undefined;
