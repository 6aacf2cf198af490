/**
 * `node dist/bench/fixture-writer.js FILE ROWS`: the core CSV of ROWS requests
 * over 10 models, written in a process of its own so that none of its memory
 * (a string per row) is counted in the peak RSS of the workload that reads it.
 */
import { FileWriter } from '../src/io/file-writer.js';

export function writeRows(file: string, rows: number): void {
  const out = new FileWriter(file);
  out.write('at,model,duration\n');
  for (let i = 0; i < rows; i++) out.write(`${(i * 0.25).toFixed(3)},m${i % 10},${(0.05 + (i % 17) / 400).toFixed(3)}\n`);
  out.close();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) writeRows(process.argv[2]!, Number(process.argv[3]));
