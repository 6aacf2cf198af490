/**
 * A binary min-heap of scheduled events on growable typed arrays.
 *
 * Order is (time, priority, seq): seq is a global insertion counter, so events at
 * the same time and priority come out first-in first-out and every run is
 * deterministic. priority and seq are packed into one float64 (priority × 2^44 +
 * seq), exact while seq < 2^44 and priority < 2^9.
 */
const SEQ_SPAN = 2 ** 44;

export class EventHeap {
  private time: Float64Array;
  private ord: Float64Array;
  private kind: Int32Array;
  private arg: Int32Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.ord = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
    this.arg = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.time[0]! : Infinity;
  }

  push(time: number, priority: number, seq: number, kind: number, arg: number): void {
    if (this.n === this.time.length) this.grow();
    const ord = priority * SEQ_SPAN + seq;
    let i = this.n++;
    // Sift up: move parents down until the slot for the new event is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(time, ord, this.time[p]!, this.ord[p]!)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, time, ord, kind, arg);
  }

  /** Removes the earliest event; its fields are left in `popped`. */
  pop(popped: PoppedEvent): boolean {
    if (this.n === 0) return false;
    popped.time = this.time[0]!;
    popped.seq = this.ord[0]! % SEQ_SPAN;
    popped.kind = this.kind[0]!;
    popped.arg = this.arg[0]!;
    const last = --this.n;
    if (last > 0) this.siftDown(last);
    return true;
  }

  private siftDown(last: number): void {
    const t = this.time[last]!;
    const o = this.ord[last]!;
    const k = this.kind[last]!;
    const a = this.arg[last]!;
    const half = this.n >> 1;
    let i = 0;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (r < this.n && this.less(this.time[r]!, this.ord[r]!, this.time[c]!, this.ord[c]!)) c = r;
      if (!this.less(this.time[c]!, this.ord[c]!, t, o)) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, t, o, k, a);
  }

  private less(t1: number, o1: number, t2: number, o2: number): boolean {
    return t1 < t2 || (t1 === t2 && o1 < o2);
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.ord[to] = this.ord[from]!;
    this.kind[to] = this.kind[from]!;
    this.arg[to] = this.arg[from]!;
  }

  private set(i: number, t: number, o: number, k: number, a: number): void {
    this.time[i] = t;
    this.ord[i] = o;
    this.kind[i] = k;
    this.arg[i] = a;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const grow64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    const grow32 = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
    this.time = grow64(this.time);
    this.ord = grow64(this.ord);
    this.kind = grow32(this.kind);
    this.arg = grow32(this.arg);
  }
}

export interface PoppedEvent {
  time: number;
  seq: number;
  kind: number;
  arg: number;
}
