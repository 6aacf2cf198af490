import type { Calibration, ModelCalibration } from './calibrate.js';
import type { Spread } from './stats.js';

/**
 * The calibrated scenario as YAML text: every value measured, each with a
 * comment saying where it came from; what the recording cannot tell (the GPU,
 * the server's settings) is written as a plain default the user should check.
 */
export interface ScenarioTextOptions {
  name: string;
  /** The recorded trace, relative to where the scenario is written. */
  trace: string;
  /** A catalogue GPU id, or a VRAM size such as 24GiB; default: enough VRAM for what was seen loaded at once. */
  gpu?: string;
  vram?: string;
  /** Most bytes seen resident at once (from /api/ps), for the default host. */
  peakResident: number;
  source: string;
}

const GiB = 2 ** 30;
const s = (x: number) => `${+x.toPrecision(4)}s`;
const tps = (x: number) => +x.toPrecision(4);
const gib = (b: number) => `${+(b / GiB).toFixed(2)}GiB`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const about = (label: string, sp: Spread) => `${label} median of ${sp.n} (p5–p95 ${+sp.p5.toPrecision(3)}–${+sp.p95.toPrecision(3)}, cv ${pct(sp.cv)})`;

export function scenarioText(c: Calibration, o: ScenarioTextOptions): string {
  const lines: string[] = [];
  lines.push(`# Calibrated by \`ollamasim calibrate\` from ${o.source}: ${c.requests} requests (${c.measured} with Ollama's metric fields)${c.version ? `, Ollama ${c.version}` : ''}.`);
  lines.push('# Each value says where it came from. Check host: and server: — a recording cannot tell them.');
  lines.push(`name: ${JSON.stringify(o.name)}`);
  lines.push('server: { OLLAMA_KEEP_ALIVE: 5m }   # Ollama\'s default: set the server\'s own');
  const vram = `${Math.max(1, Math.ceil((o.peakResident * 1.1) / GiB))}GiB`;
  const gpu = o.gpu ? `gpu: ${o.gpu}` : `gpus: [ { vram: ${o.vram ?? vram} } ]`;
  const unload = c.unload !== null ? `, unload: ${s(c.unload)}` : '';
  const notes = [
    o.gpu || o.vram ? null : `GPU unknown: ${gib(o.peakResident)} was seen resident at once (name yours with --gpu or --vram)`,
    c.unload !== null ? 'unload: how much longer a load takes after an eviction than onto free memory (median over models)' : null,
  ].filter((n) => n !== null);
  lines.push(`host: { ${gpu}${unload} }${notes.length ? `   # ${notes.join('; ')}` : ''}`);
  lines.push('models:');
  for (const m of c.models) lines.push(...model(m));
  lines.push(`workload: { trace: ${JSON.stringify(o.trace)} }`);
  return lines.join('\n') + '\n';
}

function model(m: ModelCalibration): string[] {
  const fields: string[] = [];
  const notes: string[] = [];
  if (m.sizeVram !== null) {
    fields.push(`vram: ${gib(m.sizeVram)}`);
    notes.push(`vram: /api/ps size_vram${m.size !== null && m.size > m.sizeVram ? ` (size ${gib(m.size)}: ${gib(m.size - m.sizeVram)} on the CPU)` : ''}${m.contextLength ? ` at context ${m.contextLength}` : ''}`);
  } else {
    notes.push('vram: never seen loaded by /api/ps — set it');
  }
  const load = m.warmLoad ?? m.coldLoad;
  if (load) {
    fields.push(`load: ${s(load.median)}`);
    notes.push(`load: ${about(m.warmLoad ? 'warm (page-cache) load_duration' : 'cold load_duration', load)}${m.warmLoad && m.coldLoad ? `; first (cold) load ${s(m.coldLoad.median)}` : ''}${m.afterEviction ? `; ${m.afterEviction.n} waited for an eviction first (taken out)` : ''}`);
  } else {
    notes.push('load: no load seen — set it');
  }
  if (m.prefill) {
    fields.push(`prefill_tps: ${tps(m.prefill.median)}`);
    notes.push(`prefill_tps: ${about('prompt_eval_count ÷ prompt_eval_duration,', m.prefill)} of requests alone`);
  }
  if (m.decode) {
    fields.push(`decode_tps: ${tps(m.decode.median)}`);
    notes.push(`decode_tps: ${about('eval_count ÷ eval_duration,', m.decode)} of requests alone`);
  }
  if (m.parallelExponent !== null) notes.push(`sharing a runner: per-stream decode ∝ streams^−${m.parallelExponent.toFixed(2)} over ${m.overlapped} overlapping requests (the simulator uses 0.59)`);
  return [`  ${JSON.stringify(m.model)}: { ${fields.join(', ')} }`, ...notes.map((n) => `    # ${n}`)];
}
