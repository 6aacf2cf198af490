/**
 * The writer thread of a large `run --out`: receives requests and events as
 * batches of numbers (csv-thread.ts packs them) and formats and writes them
 * with CsvRows, while the simulation goes on in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CsvRows } from './csv-rows.js';
import { type Batch, DONE, fail, REQUEST_FIELDS, EVENT_FIELDS, STATE, type WriterData } from './csv-thread.js';

const data = workerData as WriterData;
const control = new Int32Array(data.control);
let rows: CsvRows | null = null;
try {
  rows = new CsvRows(data.dir, data.modelNames, data.ids, true);
} catch (e) {
  fail(data, String((e as Error)?.message ?? e));
}

parentPort!.on('message', (m: Batch) => {
  if (!rows) return;
  try {
    if (m.candidate !== undefined) {
      rows.candidate(m.candidate);
    } else if (m.requests) {
      const d = m.requests;
      // The bound in a local: the message is a deserialised object, slow to read a field of at every row.
      const end = m.n! * REQUEST_FIELDS;
      for (let o = 0; o < end; o += REQUEST_FIELDS) {
        rows.request(d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!, d[o + 5]!, d[o + 6]!, d[o + 7]!, d[o + 8]!, d[o + 9] === 1);
      }
      data.spent.postMessage(d, [d.buffer as ArrayBuffer]);
    } else if (m.events) {
      const d = m.events;
      const end = m.n! * EVENT_FIELDS;
      for (let o = 0; o < end; o += EVENT_FIELDS) rows.event(d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!, d[o + 5]!, d[o + 6]!);
      data.spent.postMessage(d, [d.buffer as ArrayBuffer]);
    } else if (m.end) {
      rows.close();
      data.spent.close();
      Atomics.store(control, STATE, 1);
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  } catch (e) {
    fail(data, String((e as Error)?.message ?? e));
  }
});
