import { msg } from '../diag/index.js';
import { rngStream } from '../engine/index.js';
import type { Path, YamlSource } from './yaml-source.js';
import { arrivals, draw, type Distribution, type Process, profileShape } from '../workload/generators.js';
import { diurnal } from '../workload/synthetic.js';
import { TraceBuilder, type Trace } from '../workload/trace.js';
import { mergeTraces } from '../workload/merge.js';
import { RequestRows, type ModelRates } from './request-rows.js';
import type { SynthModelFile, SyntheticFile } from './schema.js';
import { MAX_REQUESTS } from './ranges.js';

type Duration = (v: unknown, p: Path) => number;

const PER: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86400 };

/** "120/h", "2/s", "30/m", "1000/d" → requests per second; a bare number is per hour. */
export function parseRate(v: string | number): number | null {
  // -0 is 0 (a rate of -0 once drew arrivals backwards in time, forever).
  if (typeof v === 'number') return v >= 0 ? (v === 0 ? 0 : v / 3600) : null;
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*\/\s*(s|m|min|h|d)\s*$/.exec(v);
  return m ? Number(m[1]) / PER[m[2]!]! : null;
}

/**
 * `workload.synthetic` → a trace, every draw from the scenario seed. Each model
 * draws from its own streams (`synthetic/MODEL/arrivals`, …/lengths), so adding
 * a model never changes another model's requests.
 */
export function synthesizeWorkload(
  src: YamlSource, file: SyntheticFile, modelNames: readonly string[], rates: readonly ModelRates[], seed: number, duration: Duration,
  maxRequests = MAX_REQUESTS,
): Trace {
  const end = file.length !== undefined ? duration(file.length, ['workload', 'synthetic', 'length']) / 1e6 : 86400;
  const traces: Trace[] = [];
  // The mean number of requests the rates make over the length, checked before any is drawn.
  let expected = 0;
  const one = (name: string, _m: SynthModelFile, rate: number, path: Path, ratePath: Path) => {
    if (!modelNames.includes(name)) throw src.error(path, msg.unknownModel(name, modelNames));
    expected += rate * end;
    if (!(expected <= maxRequests)) throw src.error(ratePath, msg.tooManyRequests(`about ${Math.round(expected).toLocaleString('en-US')}`, maxRequests));
  };
  const make = (name: string, m: SynthModelFile, rate: number, path: Path) => {
    traces.push(modelTrace(src, name, m, rate, path, end, modelNames, rates, seed, duration));
  };
  const plan: [string, SynthModelFile, number, Path, Path][] = [];
  for (const [name, m] of Object.entries(file.models ?? {})) {
    const path: Path = ['workload', 'synthetic', 'models', name];
    plan.push([name, m, rateOf(src, m.rate, [...path, 'rate']), path, [...path, 'rate']]);
  }
  if (file.zipf) {
    const z = file.zipf;
    const path: Path = ['workload', 'synthetic', 'zipf'];
    const total = rateOf(src, z.rate, [...path, 'rate']);
    const w = z.models.map((_, k) => 1 / (k + 1) ** (z.s ?? 1.1));
    const sum = w.reduce((a, b) => a + b, 0);
    z.models.forEach((name, k) => plan.push([name, z, (total * w[k]!) / sum, [...path, 'models', k], [...path, 'rate']]));
  }
  for (const p of plan) one(...p);
  for (const [name, m, rate, path] of plan) make(name, m, rate, path);
  if (traces.length === 0 && !file.users) throw src.error(['workload', 'synthetic'], msg.missing());
  return traces.length ? mergeTraces(traces) : new TraceBuilder(16).build();
}

function rateOf(src: YamlSource, v: string | number, path: Path): number {
  const r = parseRate(v);
  if (r === null) throw src.error(path, msg.badRate(String(v)));
  return r;
}

function modelTrace(
  src: YamlSource, name: string, m: SynthModelFile, rate: number, path: Path, end: number,
  modelNames: readonly string[], rates: readonly ModelRates[], seed: number, duration: Duration,
): Trace {
  const process: Process =
    m.process === 'gamma' ? { kind: 'gamma', cv: m.cv ?? 1 }
    : m.process === 'onoff' ? { kind: 'onoff', on: duration(m.on ?? '5m', [...path, 'on']) / 1e6, off: duration(m.off ?? '15m', [...path, 'off']) / 1e6 }
    : { kind: 'poisson' };
  let shape = (_t: number) => 1;
  let mean = 1;
  if (m.profile) {
    if (m.profile.length !== 24 || m.profile.some((x) => !(x >= 0)) || !m.profile.some((x) => x > 0)) throw src.error([...path, 'profile'], msg.badProfile());
    ({ shape, mean } = profileShape(m.profile));
  } else if (m.peak_hour !== undefined || m.trough !== undefined) {
    const peak = m.peak_hour ?? 14;
    const trough = m.trough ?? 0.1;
    shape = (t) => diurnal((t / 3600) % 24, peak, trough);
    let sum = 0;
    for (let i = 0; i < 2400; i++) sum += diurnal(i / 100, peak, trough);
    mean = sum / 2400;
  }
  const times = arrivals(rngStream(seed, `synthetic/${name}/arrivals`), process, rate, end, shape, mean);
  const len = rngStream(seed, `synthetic/${name}/lengths`);
  const dist = (d: SynthModelFile['duration']): Distribution | null =>
    d === undefined ? null : typeof d === 'number' ? { fixed: d } : d;
  const dur = dist(m.duration);
  const prompt = dist(m.prompt_tokens);
  const output = dist(m.output_tokens);
  const rows = new RequestRows(modelNames, rates);
  const fail = (field: string, mm: ReturnType<typeof msg.missing>) => src.error([...path, field], mm);
  for (const t of times) {
    const values: Record<string, unknown> = { at: Math.round(t * 1000) / 1000, model: name };
    if (dur) values.duration = Math.max(0.001, Math.round(draw(len, dur) * 1000) / 1000);
    if (prompt) values.prompt_tokens = Math.max(0, Math.round(draw(len, prompt)));
    if (output) values.output_tokens = Math.max(0, Math.round(draw(len, output)));
    if (!dur && !prompt && !output) values.duration = 1;
    rows.add((f) => values[f], fail, src.file, false);
  }
  return rows.build();
}
