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
  private readonly snap: Float64Array[];
  private readonly dirty: Uint8Array;
  private readonly dirtyList: number[] = [];

  constructor(models: number, private readonly from: number) {
    const f = () => new Float64Array(models);
    this.held = f();
    this.idle = f();
    this.last = f();
    this.heldArea = f();
    this.idleArea = f();
    this.snap = [f(), f(), f(), f(), f()];
    this.dirty = new Uint8Array(models);
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
      this.dirtyList.push(m);
    }
  }

  /** The window now ends here (a client-visible moment). */
  mark(): void {
    const [h, i, l, ha, ia] = this.snap as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    for (const m of this.dirtyList) {
      h[m] = this.held[m]!;
      i[m] = this.idle[m]!;
      l[m] = this.last[m]!;
      ha[m] = this.heldArea[m]!;
      ia[m] = this.idleArea[m]!;
      this.dirty[m] = 0;
    }
    this.dirtyList.length = 0;
  }

  /** ∫ held dt and ∫ idle dt for model m over [from, windowEnd], byte·µs. */
  areas(m: number, windowEnd: number): { held: number; idle: number } {
    const [h, i, l, ha, ia] = this.snap as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const dt = Math.max(0, windowEnd - Math.max(l[m]!, this.from));
    return { held: ha[m]! + h[m]! * dt, idle: ia[m]! + i[m]! * dt };
  }
}
