import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { EventSink } from '../events/index.js';
import type { Req, RequestSink } from '../ollama/index.js';

/**
 * requests.csv and events.csv written on a thread of their own: the
 * simulation packs each row as numbers into a batch and goes on; the writer
 * thread (csv-worker.ts) formats and writes them with the same CsvRows, so the
 * bytes are those of the single-threaded writer. At most IN_FLIGHT batches
 * wait at a time (memory stays flat when the disk is slower than the
 * simulation); close() waits until the files are complete.
 */
export const REQUEST_FIELDS = 10;
export const EVENT_FIELDS = 7;
const ROWS = 1 << 15;
const IN_FLIGHT = 16;
const STALLED_SECONDS = 60;

/** Slots of the shared control array: batches done, state (0 running, 1 closed, 2 failed), error text length. */
export const DONE = 0;
export const STATE = 1;
const ERROR_LENGTH = 2;

export interface WriterData {
  /** Where the writer hands back each batch's buffer once written, for reuse. */
  spent: MessagePort;
  dir: string;
  modelNames: readonly string[];
  ids: readonly (string | null)[] | null;
  control: SharedArrayBuffer;
  error: SharedArrayBuffer;
}

export interface Batch {
  candidate?: string;
  requests?: Float64Array;
  events?: Float64Array;
  n?: number;
  end?: true;
}

/** The writer thread gave up: its message, for close() to throw. */
export function fail(data: WriterData, message: string): void {
  const bytes = Buffer.from(message.slice(0, 1000), 'utf8');
  new Uint8Array(data.error).set(bytes);
  const control = new Int32Array(data.control);
  control[ERROR_LENGTH] = bytes.length;
  Atomics.store(control, STATE, 2);
  Atomics.notify(control, STATE);
  Atomics.notify(control, DONE);
}

export class ThreadedCsv {
  private readonly worker: Worker;
  private readonly data: WriterData;
  private readonly control: Int32Array;
  private requestBatch: Float64Array = new Float64Array(ROWS * REQUEST_FIELDS);
  private requestRows = 0;
  private eventBatch: Float64Array = new Float64Array(ROWS * EVENT_FIELDS);
  private eventRows = 0;
  private sent = 0;
  private candidates = 0;
  /** Batch buffers the writer has finished with (taken back without waiting, so no zeroed allocation per batch). */
  private readonly spent: MessagePort;
  private readonly pool: Float64Array[] = [];

  constructor(dir: string, modelNames: readonly string[], ids: readonly (string | null)[] | null) {
    // The files are created here first, so a folder that cannot take them fails at once, as the inline writer
    // does; the thread opens them without truncating them again (file-writer.ts). Descriptors are not handed over:
    // Node warns when a thread closes one it did not open.
    for (const f of ['requests.csv', 'events.csv']) closeSync(openSync(join(dir, f), 'w'));
    const { port1, port2 } = new MessageChannel();
    this.spent = port1;
    this.data = { spent: port2, dir, modelNames, ids, control: new SharedArrayBuffer(12), error: new SharedArrayBuffer(4096) };
    this.control = new Int32Array(this.data.control);
    // Compiled, the worker is plain JS; from the TypeScript sources (tests, tsx) it first registers tsx's loader.
    const fromTs = import.meta.url.endsWith('.ts');
    const url = new URL(`./csv-worker.${fromTs ? 'ts' : 'js'}`, import.meta.url);
    this.worker = fromTs
      ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: this.data, transferList: [port2] })
      : new Worker(url, { workerData: this.data, transferList: [port2] });
    this.worker.unref();
  }

  requests(candidate: string): RequestSink {
    const c = this.candidate(candidate);
    return {
      done: (r: Req) => {
        const d = this.requestBatch;
        const o = this.requestRows * REQUEST_FIELDS;
        d[o] = c;
        d[o + 1] = r.index;
        d[o + 2] = r.model;
        d[o + 3] = r.firstArrival;
        d[o + 4] = r.admitted;
        d[o + 5] = r.start;
        d[o + 6] = r.end;
        d[o + 7] = r.status;
        d[o + 8] = r.http;
        d[o + 9] = r.cold ? 1 : 0;
        if (++this.requestRows === ROWS) this.sendRequests();
      },
    };
  }

  events(candidate: string): EventSink {
    const c = this.candidate(candidate);
    return {
      event: (t, kind, model, request, reason, value) => {
        const d = this.eventBatch;
        const o = this.eventRows * EVENT_FIELDS;
        d[o] = c;
        d[o + 1] = t;
        d[o + 2] = kind;
        d[o + 3] = model;
        d[o + 4] = request;
        d[o + 5] = reason;
        d[o + 6] = value;
        if (++this.eventRows === ROWS) this.sendEvents();
      },
    };
  }

  close(): void {
    this.sendRequests();
    this.sendEvents();
    this.worker.postMessage({ end: true } satisfies Batch);
    this.waitFor(() => Atomics.load(this.control, STATE) !== 0);
    void this.worker.terminate();
    this.spent.close();
    this.check();
  }

  /** The same candidate for both files gets one number: requests() and events() are asked in turn. */
  private candidate(name: string): number {
    this.sent++;
    this.worker.postMessage({ candidate: name } satisfies Batch);
    return this.candidates++;
  }

  private sendRequests(): void {
    if (this.requestRows === 0) return;
    this.post({ requests: this.requestBatch, n: this.requestRows }, this.requestBatch);
    this.requestBatch = this.reuse(ROWS * REQUEST_FIELDS);
    this.requestRows = 0;
  }

  private sendEvents(): void {
    if (this.eventRows === 0) return;
    this.post({ events: this.eventBatch, n: this.eventRows }, this.eventBatch);
    this.eventBatch = this.reuse(ROWS * EVENT_FIELDS);
    this.eventRows = 0;
  }

  /** A spent buffer of this length if the writer has handed one back, else a new one. */
  private reuse(length: number): Float64Array {
    for (let m = receiveMessageOnPort(this.spent); m; m = receiveMessageOnPort(this.spent)) {
      const d = m.message as Float64Array;
      if (d.length === length) return d;
      this.pool.push(d);
    }
    const i = this.pool.findIndex((d) => d.length === length);
    return i >= 0 ? this.pool.splice(i, 1)[0]! : new Float64Array(length);
  }

  private post(batch: Batch, data: Float64Array): void {
    // Wait while too many batches are queued (the writer thread is behind).
    this.waitFor(() => this.sent - Atomics.load(this.control, DONE) < IN_FLIGHT);
    this.sent++;
    this.worker.postMessage(batch, [data.buffer as ArrayBuffer]);
  }

  /**
   * Blocks until `ready()` (the writer thread wakes this thread after each
   * batch). A writer that finishes no batch for a minute has died (its error
   * events cannot reach a blocked thread): then this throws.
   */
  private waitFor(ready: () => boolean): void {
    let done = Atomics.load(this.control, DONE);
    let idle = 0; // one-second waits in a row without a batch done
    while (!ready()) {
      this.check();
      const woke = Atomics.wait(this.control, DONE, done, 1000);
      const now = Atomics.load(this.control, DONE);
      if (now !== done) {
        done = now;
        idle = 0;
      } else if (woke === 'timed-out' && ++idle > STALLED_SECONDS && Atomics.load(this.control, STATE) === 0) {
        throw new Error('writing requests.csv and events.csv: the writer thread stopped');
      }
    }
  }

  private check(): void {
    if (Atomics.load(this.control, STATE) !== 2) return;
    const text = Buffer.from(this.data.error).toString('utf8', 0, this.control[ERROR_LENGTH]);
    throw new Error(`writing requests.csv and events.csv: ${text}`);
  }
}
