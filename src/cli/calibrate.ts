import { writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { calibrate } from '../calibrate/calibrate.js';
import { scenarioText } from '../calibrate/scenario-text.js';
import { peakResident } from '../calibrate/validate.js';
import { InputError, msg } from '../diag/index.js';
import { readRecording } from '../io/read-recording.js';
import { calibrationText } from '../report/validation.js';

export interface CalibrateOptions {
  out?: string;
  gpu?: string;
  vram?: string;
  json?: boolean;
}

/**
 * `ollamasim calibrate DIR`: per model, load times, token rates and their
 * spread, the NUM_PARALLEL slowdown and the real footprint from a recording;
 * writes a scenario (default DIR/calibrated.yaml) that replays the recorded
 * trace with them, each value commented with where it came from.
 */
export async function calibrateCommand(dir: string, opts: CalibrateOptions): Promise<void> {
  const rec = readRecording(dir);
  if (!rec.trace) throw new InputError({ file: join(dir, 'trace.csv'), line: 1, field: '(file)', problem: msg.notARecording()[0], hint: msg.notARecording()[1] });
  const c = calibrate(rec.requests, rec.observed);
  const out = opts.out ?? join(dir, 'calibrated.yaml');
  const text = scenarioText(c, {
    name: `calibrated from ${basename(resolve(dir))}`,
    trace: relative(dirname(resolve(out)), resolve(rec.trace)).split('\\').join('/'),
    ...(opts.gpu ? { gpu: opts.gpu } : {}),
    ...(opts.vram ? { vram: opts.vram } : {}),
    peakResident: peakResident(rec.observed),
    source: dir,
  });
  writeFileSync(out, text);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ scenario: out, ...c }, null, 2) + '\n');
    return;
  }
  process.stdout.write(calibrationText(c));
  process.stdout.write(`\nwrote ${out}: run, sweep and plan take it like any scenario (check its host: and server:)\n`);
}
