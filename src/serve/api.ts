/**
 * Ollama's HTTP API as JSON: field names, order and omissions follow the Go
 * structs of api/types.go at the spec's commit (fb30760), encoded the way Go's
 * encoding/json does (struct order, `omitempty` drops zero values, compact,
 * no trailing newline for a whole body; streamResponse adds "\n" per chunk,
 * server/routes.go:2097). Examples of every shape are in docs/api.md.
 */

/** A wall-clock time as Go's time.Time marshals it (RFC 3339, trailing zeros of the fraction dropped). */
export function goTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // …:SS.mmmZ
  let end = iso.length - 1;
  while (iso.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (iso.charCodeAt(end - 1) === 46 /* . */) end--;
  return end === iso.length - 1 ? iso : `${iso.slice(0, end)}Z`;
}

/** Nanoseconds (time.Duration in JSON: docs/api.md "All durations are returned in nanoseconds"). */
export const ns = (us: number): number => Math.round(us) * 1000;

/** api.Metrics (types.go:557–564), every field omitempty: µs in, ns out. */
export interface Metrics {
  totalUs: number;
  loadUs: number;
  promptEvalCount: number;
  promptEvalUs: number;
  evalCount: number;
  evalUs: number;
}

function putMetrics(o: Record<string, unknown>, m: Metrics | null): void {
  if (!m) return;
  const put = (k: string, v: number) => { if (v !== 0) o[k] = v; };
  put('total_duration', ns(m.totalUs));
  put('load_duration', ns(m.loadUs));
  put('prompt_eval_count', m.promptEvalCount);
  put('prompt_eval_duration', ns(m.promptEvalUs));
  put('eval_count', m.evalCount);
  put('eval_duration', ns(m.evalUs));
}

/**
 * api.GenerateResponse (types.go:891–930): model, created_at, response, done,
 * done_reason (omitempty), then the embedded Metrics.
 */
export function generateResponse(model: string, at: number, response: string, done: boolean, doneReason: string, m: Metrics | null): string {
  const o: Record<string, unknown> = { model, created_at: goTime(at), response, done };
  if (doneReason) o.done_reason = doneReason;
  putMetrics(o, m);
  return JSON.stringify(o);
}

/**
 * api.ChatResponse (types.go:520–549): model, created_at, message {role,
 * content} (api.Message, types.go:197), done, done_reason, Metrics.
 */
export function chatResponse(model: string, at: number, content: string, done: boolean, doneReason: string, m: Metrics | null): string {
  const o: Record<string, unknown> = { model, created_at: goTime(at), message: { role: 'assistant', content }, done };
  if (doneReason) o.done_reason = doneReason;
  putMetrics(o, m);
  return JSON.stringify(o);
}

/** api.EmbedResponse (types.go:621–628): model, embeddings, total_duration, load_duration, prompt_eval_count. */
export function embedResponse(model: string, embeddings: number[][], m: Metrics): string {
  const o: Record<string, unknown> = { model, embeddings };
  const put = (k: string, v: number) => { if (v !== 0) o[k] = v; };
  put('total_duration', ns(m.totalUs));
  put('load_duration', ns(m.loadUs));
  put('prompt_eval_count', m.promptEvalCount);
  return JSON.stringify(o);
}

/** api.ModelDetails (types.go:933–942). */
export interface ModelDetails {
  family: string;
  parameterSize: string;
  quantizationLevel: string;
}

function details(d: ModelDetails): Record<string, unknown> {
  return {
    parent_model: '', format: 'gguf', family: d.family, families: d.family ? [d.family] : null,
    parameter_size: d.parameterSize, quantization_level: d.quantizationLevel,
  };
}

/** One row of /api/ps: api.ProcessModelResponse (types.go:835–844). */
export interface RunningModel {
  name: string;
  size: number;
  digest: string;
  details: ModelDetails;
  expiresAt: number; // epoch ms
  sizeVram: number;
  contextLength: number;
}

/** /api/ps: api.ProcessResponse (types.go:817), sorted by expires_at descending (routes.go:2297–2300). */
export function psResponse(models: RunningModel[]): string {
  const sorted = [...models].sort((a, b) => Math.floor(b.expiresAt / 1000) - Math.floor(a.expiresAt / 1000));
  return JSON.stringify({
    models: sorted.map((m) => ({
      name: m.name, model: m.name, size: m.size, digest: m.digest, details: details(m.details),
      expires_at: goTime(m.expiresAt), size_vram: m.sizeVram, context_length: m.contextLength,
    })),
  });
}

/** One row of /api/tags: api.ListModelResponse (types.go:822–832). */
export interface LocalModel {
  name: string;
  modifiedAt: number;
  size: number;
  digest: string;
  details: ModelDetails;
}

export function tagsResponse(models: LocalModel[]): string {
  return JSON.stringify({
    models: models.map((m) => ({
      name: m.name, model: m.name, modified_at: goTime(m.modifiedAt), size: m.size, digest: m.digest, details: details(m.details),
    })),
  });
}

/** gin.H{"error": …}: every error body of routes.go. */
export const errorBody = (message: string): string => JSON.stringify({ error: message });

/** The messages Ollama answers with (routes.go, sched.go at fb30760). */
export const OLLAMA_ERRORS = {
  /** sched.go:88 ErrMaxQueue, answered 503 by handleScheduleError (routes.go:3113). */
  maxQueue: 'server busy, please try again.  maximum pending requests exceeded',
  /** routes.go:281 (getExistingName fails): 404. */
  notFound: (model: string) => `model '${model}' not found`,
  /** routes.go:249: an empty body, 400. */
  missingBody: 'missing request body',
  /** A runner that dies while loading (sched.go:733 → errCh): 500; the simulator's crash has no exit text. */
  loadFailed: 'llama runner process has terminated: exit status 2',
  /** A server restart under the request (the scenario's fault): the runner's connection drops, 500. */
  restart: 'an error was encountered while running the model: unexpected EOF',
} as const;

/**
 * api.Duration.UnmarshalJSON (types.go:1243–1271) rejects keep_alive with
 * time.ParseDuration's error or "Unsupported type", which ShouldBindJSON hands
 * to a 400 as is (routes.go:251).
 */
export function keepAliveError(value: unknown): string {
  if (typeof value === 'string') {
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value.trim())) return `time: missing unit in duration "${value}"`;
    return `time: invalid duration "${value}"`;
  }
  const type = typeof value === 'boolean' ? 'bool' : Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}';
  return `Unsupported type: '${type}'`;
}
