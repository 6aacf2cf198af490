import type { Axis } from '../config/grid.js';

/**
 * What the what-if page lets a design review move, as sweep axes over the
 * scenario's first candidate: the page runs exactly the cell that
 * `ollamasim sweep --grid KEY=VALUE …` (or `run` with the values written in)
 * would. A setting left unset keeps the scenario's own value.
 */
export interface WhatIfSettings {
  /** OLLAMA_KEEP_ALIVE (Go duration or seconds; negative = forever). */
  keepAlive?: string;
  /** keep_alive clients send, per model. */
  modelKeepAlive?: Record<string, string>;
  numParallel?: number;
  maxLoaded?: number;
  gpu?: string;
  count?: number;
  hosts?: number;
  rateScale?: number;
}

export function settingsAxes(s: WhatIfSettings): Axis[] {
  const axes: Axis[] = [];
  const add = (key: string, v: unknown) => { if (v !== undefined && v !== '') axes.push({ key, values: [v] }); };
  add('OLLAMA_KEEP_ALIVE', s.keepAlive);
  add('OLLAMA_NUM_PARALLEL', s.numParallel);
  add('OLLAMA_MAX_LOADED_MODELS', s.maxLoaded);
  add('host.gpu', s.gpu);
  add('host.count', s.count);
  add('fleet.hosts', s.hosts);
  add('rate_scale', s.rateScale);
  for (const [model, ka] of Object.entries(s.modelKeepAlive ?? {})) add(`models.${model}.keep_alive`, ka);
  return axes;
}

/** The settings as a URL fragment (`#keep_alive=30m&parallel=2&ka.llama3.1:8b=1h`), so a link reproduces a what-if. */
export function toFragment(s: WhatIfSettings): string {
  const p = new URLSearchParams();
  const put = (k: string, v: unknown) => { if (v !== undefined && v !== '') p.set(k, String(v)); };
  put('keep_alive', s.keepAlive);
  put('parallel', s.numParallel);
  put('max_loaded', s.maxLoaded);
  put('gpu', s.gpu);
  put('count', s.count);
  put('hosts', s.hosts);
  put('rate', s.rateScale);
  for (const [m, v] of Object.entries(s.modelKeepAlive ?? {})) put(`ka.${m}`, v);
  return p.toString();
}

export function fromFragment(fragment: string): WhatIfSettings {
  const p = new URLSearchParams(fragment.replace(/^#/, ''));
  const s: WhatIfSettings = {};
  const num = (k: string) => { const v = p.get(k); return v === null || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v); };
  const str = (k: string) => p.get(k) ?? undefined;
  if (str('keep_alive') !== undefined) s.keepAlive = str('keep_alive')!;
  if (num('parallel') !== undefined) s.numParallel = num('parallel')!;
  if (num('max_loaded') !== undefined) s.maxLoaded = num('max_loaded')!;
  if (str('gpu') !== undefined) s.gpu = str('gpu')!;
  if (num('count') !== undefined) s.count = num('count')!;
  if (num('hosts') !== undefined) s.hosts = num('hosts')!;
  if (num('rate') !== undefined) s.rateScale = num('rate')!;
  for (const [k, v] of p) if (k.startsWith('ka.')) (s.modelKeepAlive ??= {})[k.slice(3)] = v;
  return s;
}
