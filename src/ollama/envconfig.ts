import { parseGoDuration } from './duration.js';
import { FOREVER } from './keep-alive.js';

/**
 * The server's OLLAMA_* environment, parsed as Ollama's envconfig parses it
 * (spec §2). Ollama silently falls back to the default on a value it cannot
 * parse; we do the same, so results match a real server, but say so through
 * `warn` so the user learns their setting had no effect.
 */
export interface ServerEnv {
  keepAlive: number; // µs, FOREVER for negative
  numParallel: number;
  maxLoadedModels: number; // 0 = auto
  maxQueue: number;
  loadTimeout: number; // µs, FOREVER for ≤ 0
  schedSpread: boolean;
  contextLength: number; // 0 = automatic tier
  gpuOverhead: number; // bytes
  /** OLLAMA_FLASH_ATTENTION: undefined = unset (auto), else as ParseBool reads it (a value that does not parse = true). */
  flashAttention?: boolean;
}

export const SERVER_ENV_NAMES = [
  'OLLAMA_KEEP_ALIVE',
  'OLLAMA_NUM_PARALLEL',
  'OLLAMA_MAX_LOADED_MODELS',
  'OLLAMA_MAX_QUEUE',
  'OLLAMA_LOAD_TIMEOUT',
  'OLLAMA_SCHED_SPREAD',
  'OLLAMA_CONTEXT_LENGTH',
  'OLLAMA_GPU_OVERHEAD',
  'OLLAMA_KV_CACHE_TYPE',
  'OLLAMA_FLASH_ATTENTION',
] as const;
export type ServerEnvName = (typeof SERVER_ENV_NAMES)[number];

export type Warn = (name: string, message: string) => void;

/** Every env value is first trimmed of spaces and of " and ' quotes. */
function clean(raw: unknown): string {
  return String(raw).trim().replace(/^["']+|["']+$/g, '').trim();
}

/** OLLAMA_KEEP_ALIVE and OLLAMA_LOAD_TIMEOUT: a Go duration, else integer seconds. */
function envDuration(raw: unknown, fallback: number, name: string, warn: Warn): number {
  if (raw === undefined) return fallback;
  const s = clean(raw);
  if (s === '') return fallback; // an empty variable is an unset one
  let us = parseGoDuration(s);
  if (us === null && /^[+-]?\d+$/.test(s)) us = Number(s) * 1e6;
  if (us === null) {
    warn(name, `"${s}" is neither a Go duration nor whole seconds; Ollama falls back to its default`);
    return fallback;
  }
  return us;
}

function envUint(raw: unknown, fallback: number, name: string, warn: Warn): number {
  if (raw === undefined) return fallback;
  const s = clean(raw);
  if (s === '') return fallback;
  if (!/^\d+$/.test(s)) {
    warn(name, `"${s}" is not an unsigned integer; Ollama falls back to ${fallback}`);
    return fallback;
  }
  return Number(s);
}

/** Go's strconv.ParseBool; Ollama treats a non-empty value that does not parse as true. */
function envBool(raw: unknown): boolean {
  if (raw === undefined) return false;
  const s = clean(raw);
  if (s === '') return false;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(s)) return false;
  return true;
}

export function parseServerEnv(env: Partial<Record<string, unknown>>, warn: Warn): ServerEnv {
  const keepAlive = envDuration(env.OLLAMA_KEEP_ALIVE, 5 * 60e6, 'OLLAMA_KEEP_ALIVE', warn);
  const loadTimeout = envDuration(env.OLLAMA_LOAD_TIMEOUT, 5 * 60e6, 'OLLAMA_LOAD_TIMEOUT', warn);
  let numParallel = envUint(env.OLLAMA_NUM_PARALLEL, 1, 'OLLAMA_NUM_PARALLEL', warn);
  if (numParallel === 0) numParallel = 1;
  return {
    keepAlive: keepAlive < 0 ? FOREVER : keepAlive,
    numParallel,
    maxLoadedModels: envUint(env.OLLAMA_MAX_LOADED_MODELS, 0, 'OLLAMA_MAX_LOADED_MODELS', warn),
    maxQueue: envUint(env.OLLAMA_MAX_QUEUE, 512, 'OLLAMA_MAX_QUEUE', warn),
    loadTimeout: loadTimeout <= 0 ? FOREVER : loadTimeout,
    schedSpread: envBool(env.OLLAMA_SCHED_SPREAD),
    contextLength: envUint(env.OLLAMA_CONTEXT_LENGTH, 0, 'OLLAMA_CONTEXT_LENGTH', warn),
    gpuOverhead: envUint(env.OLLAMA_GPU_OVERHEAD, 0, 'OLLAMA_GPU_OVERHEAD', warn),
    ...(env.OLLAMA_FLASH_ATTENTION !== undefined && clean(env.OLLAMA_FLASH_ATTENTION) !== ''
      ? { flashAttention: envBool(env.OLLAMA_FLASH_ATTENTION) } : {}),
  };
}
