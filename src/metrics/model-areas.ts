/**
 * Resident and idle-resident memory integrals per model (byte·µs), clipped to
 * the traffic window like the candidate's totals, without a per-event loop
 * over models: each model's integral is brought up to date only when its own
 * memory changes, and the window end is snapshotted only for models that
 * changed since the previous window mark.
 *
 * A runner's memory is charged to the model whose request started its load
 * (models sharing a runner key share one runner), so the per-model figures
 * add up to the candidate's.
 */
export class ModelAreas {
  private readonly held: Float64Array;
  private readonly idle: Float64Array;
  private readonly last: Float64Array;
  private readonly heldArea: Float64Array;
  private readonly idleArea: Float64Array;
  // The same, as they stood at the last window mark.
  private readonly snapHeld: Float64Array;
  private readonly snapIdle: Float64Array;
  private readonly snapLast: Float64Array;
  private readonly snapHeldArea: Float64Array;
  private readonly snapIdleArea: Float64Array;
  private readonly dirty: Uint8Array;
  // A stack of the models changed since the last mark (typed: resetting an array's length is slow in V8).
  private readonly dirtyList: Int32Array;
  private dirtyCount = 0;

  constructor(models: number, private readonly from: number) {
    const f = () => new Float64Array(models);
    this.held = f();
    this.idle = f();
    this.last = f();
    this.heldArea = f();
    this.idleArea = f();
    this.snapHeld = f();
    this.snapIdle = f();
    this.snapLast = f();
    this.snapHeldArea = f();
    this.snapIdleArea = f();
    this.dirty = new Uint8Array(models);
    this.dirtyList = new Int32Array(models);
  }

  /** Model `m`'s held and idle bytes change by dh, di at time t. */
  change(m: number, t: number, dh: number, di: number): void {
    const dt = t - Math.max(this.last[m]!, this.from);
    if (dt > 0) {
      this.heldArea[m]! += this.held[m]! * dt;
      this.idleArea[m]! += this.idle[m]! * dt;
    }
    this.last[m] = t;
    this.held[m]! += dh;
    this.idle[m]! += di;
    if (!this.dirty[m]) {
      this.dirty[m] = 1;
      this.dirtyList[this.dirtyCount++] = m;
    }
  }

  /** The window now ends here (a client-visible moment). */
  mark(): void {
    if (this.dirtyCount === 0) return;
    for (let k = 0; k < this.dirtyCount; k++) {
      const m = this.dirtyList[k]!;
      this.snapHeld[m] = this.held[m]!;
      this.snapIdle[m] = this.idle[m]!;
      this.snapLast[m] = this.last[m]!;
      this.snapHeldArea[m] = this.heldArea[m]!;
      this.snapIdleArea[m] = this.idleArea[m]!;
      this.dirty[m] = 0;
    }
    this.dirtyCount = 0;
  }

  /** ∫ held dt and ∫ idle dt for model m over [from, windowEnd], byte·µs. */
  areas(m: number, windowEnd: number): { held: number; idle: number } {
    const dt = Math.max(0, windowEnd - Math.max(this.snapLast[m]!, this.from));
    return { held: this.snapHeldArea[m]! + this.snapHeld[m]! * dt, idle: this.snapIdleArea[m]! + this.snapIdle[m]! * dt };
  }
}
