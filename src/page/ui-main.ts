/**
 * The what-if page's controls. Everything heavy happens in the Web Worker
 * (worker-main.ts), started from a Blob URL because a page opened from
 * file:// may not load a worker script by path. The settings live in the URL
 * fragment, so a link reproduces a what-if.
 */
import { fromFragment, toFragment, type WhatIfSettings } from './settings.js';

interface PageConfig {
  file: string;
  text: string;
  base: string;
  header: unknown;
  name: string;
  models: string[];
  gpus: { id: string; name: string }[];
  requests: number;
}

interface Result {
  type: 'result';
  seq: number;
  baseline: Record<string, unknown>;
  whatIf: Record<string, unknown>;
  candidate: string;
  warnings: string[];
  charts: { id: string; title: string; howToRead: string; svg: string }[];
  simulatedMs: number;
  totalMs: number;
}

const KEEP_ALIVES = ['0', '30s', '1m', '2m', '5m', '10m', '15m', '30m', '1h', '2h', '4h', '8h', '24h', '-1'];
const RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8];
const FIGURES: [string, string, number][] = [
  ['latency_p50_s', 'p50 latency (s)', 2], ['latency_p95_s', 'p95 latency (s)', 2], ['latency_p99_s', 'p99 latency (s)', 2],
  ['ttft_p95_s', 'p95 TTFT (s)', 2], ['cold_share', 'cold share', 4], ['loads', 'loads', 0], ['evictions', 'evictions', 0],
  ['rejected_503', '503s', 0], ['failed_500', '500s', 0], ['cancelled', '499s', 0], ['stuck', 'stuck', 0],
  ['vram_mean_gib', 'mean VRAM (GiB)', 2], ['vram_peak_gib', 'peak VRAM (GiB)', 2],
  ['resident_gib_hours', 'resident GiB·h', 2], ['idle_resident_gib_hours', 'idle-resident GiB·h', 2],
];

type State = 'loading' | 'running' | 'ready' | 'error';
const hook = { state: 'loading' as State, last: null as Result | null, error: null as string | null, settings: {} as WhatIfSettings, runs: 0 };
(window as unknown as { __whatif: typeof hook }).__whatif = hook;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string) => $(id).textContent ?? '';

function setState(s: State, detail = ''): void {
  hook.state = s;
  document.body.dataset.state = s;
  $('status').textContent = s === 'running' ? `simulating… ${detail}` : s === 'error' ? detail : s === 'ready' ? detail : 'loading…';
}

async function gunzip(b64: string): Promise<Uint8Array<ArrayBuffer>> {
  const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A slider over a list of values, whose first position means "as the scenario says". */
function slider(id: string, label: string, values: string[], current: string | undefined, onChange: (v: string | undefined) => void): HTMLElement {
  const row = document.createElement('label');
  row.className = 'control';
  const name = document.createElement('span');
  name.textContent = label;
  const input = document.createElement('input');
  input.type = 'range';
  input.id = id;
  input.min = '0';
  input.max = String(values.length);
  input.step = '1';
  const at = current === undefined ? 0 : values.indexOf(current) + 1;
  input.value = String(at > 0 ? at : 0);
  const out = document.createElement('output');
  const show = () => { const i = Number(input.value); out.textContent = i === 0 ? 'as written' : values[i - 1]!; };
  show();
  input.addEventListener('input', () => { show(); const i = Number(input.value); onChange(i === 0 ? undefined : values[i - 1]); });
  row.append(name, input, out);
  return row;
}

function select(id: string, label: string, options: { id: string; name: string }[], current: string | undefined, onChange: (v: string | undefined) => void): HTMLElement {
  const row = document.createElement('label');
  row.className = 'control';
  const name = document.createElement('span');
  name.textContent = label;
  const sel = document.createElement('select');
  sel.id = id;
  for (const o of [{ id: '', name: 'as written' }, ...options]) {
    const opt = document.createElement('option');
    opt.value = o.id;
    opt.textContent = o.name;
    sel.append(opt);
  }
  sel.value = current ?? '';
  sel.addEventListener('change', () => onChange(sel.value || undefined));
  row.append(name, sel);
  return row;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

function render(r: Result): void {
  const rows = FIGURES.map(([key, label, digits]) => {
    const a = r.baseline[key];
    const b = r.whatIf[key];
    const fmt = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–');
    const delta = typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b) ? b - a : NaN;
    const tr = document.createElement('tr');
    for (const [cell, cls] of [[label, ''], [fmt(a), 'num'], [fmt(b), 'num'], [Number.isNaN(delta) ? '–' : `${delta > 0 ? '+' : ''}${delta.toFixed(digits)}`, 'num']] as const) {
      const td = document.createElement('td');
      td.textContent = cell;
      if (cls) td.className = cls;
      tr.append(td);
    }
    return tr;
  });
  $('figures').replaceChildren(...rows);
  $('candidate').textContent = r.candidate || 'the scenario as written';
  $('warnings').textContent = r.warnings.join('\n');
  const charts = r.charts.map((c) => {
    const fig = document.createElement('figure');
    fig.dataset.chart = c.id;
    fig.innerHTML = c.svg; // SVG drawn by vega from our own data, every label escaped by vega
    const cap = document.createElement('figcaption');
    cap.textContent = c.howToRead;
    fig.append(cap);
    return fig;
  });
  $('charts').replaceChildren(...charts);
}

async function main(): Promise<void> {
  const cfg = JSON.parse(text('whatif-config')) as PageConfig;
  const [workerSrc, trace] = await Promise.all([gunzip(text('whatif-worker').trim()), gunzip(text('whatif-trace').trim())]);
  const worker = new Worker(URL.createObjectURL(new Blob([workerSrc as Uint8Array<ArrayBuffer>], { type: 'text/javascript' })));
  let settings = fromFragment(location.hash);
  let seq = 0;
  let inFlight = false;
  let pending = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    if (inFlight) { pending = true; return; }
    inFlight = true;
    hook.settings = settings;
    setState('running');
    worker.postMessage({ type: 'run', seq: ++seq, settings });
  };
  const changed = (next: WhatIfSettings) => {
    settings = JSON.parse(JSON.stringify(next)) as WhatIfSettings;
    history.replaceState(null, '', `#${toFragment(settings)}`);
    clearTimeout(timer);
    timer = setTimeout(send, 120);
  };
  worker.onmessage = (e: MessageEvent) => {
    const m = e.data as Omit<Result, 'type'> & { type: 'ready' | 'progress' | 'error' | 'result'; done?: number; total?: number; message?: string };
    if (m.type === 'ready') send();
    else if (m.type === 'progress') setState('running', `${Math.round((100 * m.done!) / m.total!)} %`);
    else if (m.type === 'error' || m.type === 'result') {
      inFlight = false;
      if (pending) { pending = false; send(); return; }
      if (m.type === 'error') { hook.error = m.message!; setState('error', m.message!); return; }
      hook.last = m as Result;
      hook.error = null;
      hook.runs++;
      render(m as Result);
      setState('ready', `simulated ${cfg.requests.toLocaleString('en')} requests twice in ${Math.round(m.simulatedMs)} ms`);
    }
  };
  worker.onerror = (e) => setState('error', e.message);
  const controls = $('controls');
  const set = <K extends keyof WhatIfSettings>(k: K) => (v: string | undefined) => {
    const next: WhatIfSettings = { ...settings };
    if (v === undefined) delete (next as Record<string, unknown>)[k];
    else (next as Record<string, unknown>)[k] = k === 'keepAlive' || k === 'gpu' ? v : Number(v);
    changed(next);
  };
  controls.append(
    slider('keep-alive', 'OLLAMA_KEEP_ALIVE', KEEP_ALIVES, settings.keepAlive, set('keepAlive')),
    slider('parallel', 'OLLAMA_NUM_PARALLEL', range(1, 16), settings.numParallel?.toString(), set('numParallel')),
    slider('max-loaded', 'OLLAMA_MAX_LOADED_MODELS (0 = auto)', range(0, 12), settings.maxLoaded?.toString(), set('maxLoaded')),
    select('gpu', 'GPU type', cfg.gpus, settings.gpu, set('gpu')),
    slider('count', 'GPUs per host (0 = CPU only)', range(0, 8), settings.count?.toString(), set('count')),
    slider('hosts', 'hosts', range(1, 16), settings.hosts?.toString(), set('hosts')),
    slider('rate', 'rate_scale (offered load ×)', RATES.map(String), settings.rateScale?.toString(), set('rateScale')),
  );
  for (const model of cfg.models) {
    controls.append(slider(`ka-${model}`, `keep_alive sent for ${model}`, KEEP_ALIVES, settings.modelKeepAlive?.[model], (v) => {
      const per = { ...(settings.modelKeepAlive ?? {}) };
      if (v === undefined) delete per[model];
      else per[model] = v;
      const next: WhatIfSettings = { ...settings, modelKeepAlive: per };
      if (Object.keys(per).length === 0) delete next.modelKeepAlive;
      changed(next);
    }));
  }
  worker.postMessage({ type: 'init', file: cfg.file, text: cfg.text, base: cfg.base, header: cfg.header, bytes: trace }, [trace.buffer]);
}

main().catch((e: Error) => setState('error', e.message));
