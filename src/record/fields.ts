import { parseRequestKeepAlive } from '../ollama/index.js';

/**
 * What the recorder reads from a request body and from the last line of a
 * response: the scheduler-relevant fields only (model, keep_alive, load
 * options, stream) and Ollama's metric fields. Prompts, messages, inputs and
 * answers are looked at (to tell a load from an inference) and never kept.
 */

/** How a request used the server: an inference, a load or an unload (docs/api.md "Load a model"), or neither. */
export type RecordedOp = 'generate' | 'chat' | 'embed' | 'preload' | 'unload' | 'other';

/** The load-time options (api.Runner, api/types.go:588–596): a change of any reloads the model (spec §4.5). */
export const LOAD_OPTIONS = ['num_ctx', 'num_batch', 'num_gpu', 'main_gpu', 'use_mmap', 'num_thread', 'draft_num_predict'] as const;

export interface RequestFacts {
  endpoint: string;
  op: RecordedOp;
  model: string | null;
  /** keep_alive exactly as sent (a number of seconds or a Go duration string); undefined = absent. */
  keepAlive?: number | string | null;
  /** The load options the request set, as sent. */
  options: Record<string, unknown>;
  stream: boolean | null;
}

/** Endpoints that run a model, POST only (also read by logs import). */
export const INFERENCE_ENDPOINTS: Record<string, 'generate' | 'chat' | 'embed'> = {
  '/api/generate': 'generate',
  '/api/chat': 'chat',
  '/api/embed': 'embed',
  '/api/embeddings': 'embed',
  '/v1/completions': 'generate',
  '/v1/chat/completions': 'chat',
  '/v1/embeddings': 'embed',
  '/v1/responses': 'chat',
};

/** Whether a request runs, loads or unloads a model (its body says which): the requests the trace keeps. */
export const isInference = (method: string, url: string): boolean => method === 'POST' && INFERENCE_ENDPOINTS[url.split('?')[0]!] !== undefined;

/** Reads a request; a body that is not JSON (or too large to have been kept) still gives its endpoint. */
export function requestFacts(method: string, url: string, body: string | null): RequestFacts {
  const endpoint = url.split('?')[0]!;
  const kind = method === 'POST' ? INFERENCE_ENDPOINTS[endpoint] : undefined;
  const facts: RequestFacts = { endpoint, op: kind ?? 'other', model: null, options: {}, stream: null };
  if (!kind || body === null) return facts;
  let o: Record<string, unknown>;
  try {
    const j = JSON.parse(body) as unknown;
    if (j === null || typeof j !== 'object' || Array.isArray(j)) return facts;
    o = j as Record<string, unknown>;
  } catch {
    return facts;
  }
  facts.model = typeof o.model === 'string' ? o.model : null;
  if ('keep_alive' in o) facts.keepAlive = o.keep_alive as number | string | null;
  const options = o.options && typeof o.options === 'object' ? (o.options as Record<string, unknown>) : {};
  for (const k of LOAD_OPTIONS) if (options[k] !== undefined) facts.options[k] = options[k];
  facts.stream = typeof o.stream === 'boolean' ? o.stream : null;
  if (endpoint.startsWith('/api/') && kind !== 'embed') {
    // An empty prompt (generate) or no messages (chat) loads; with keep_alive 0 it unloads (routes.go:403, 478).
    const empty = kind === 'generate' ? !o.prompt : !(Array.isArray(o.messages) && o.messages.length > 0);
    if (empty) facts.op = isZero(o.keep_alive) ? 'unload' : 'preload';
    else facts.op = kind;
  } else {
    facts.op = kind;
  }
  return facts;
}

/** keep_alive 0 as api.Duration reads it: the number 0 or a zero Go duration ("0", "0s", "0m"). */
const isZero = (v: unknown): boolean => parseRequestKeepAlive(v) === 0;

/** Ollama's metric fields of a final response (api.Metrics, types.go:557), and OpenAI-style usage. */
export interface ResponseFacts {
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
  /** The error message of an error body (Ollama's, not the user's text). */
  error?: string;
}

const METRICS = ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'] as const;

/** Parses the last JSON line of a response (NDJSON, a JSON body or an SSE data line). */
export function responseFacts(lastLine: string | null): ResponseFacts {
  const out: ResponseFacts = {};
  if (!lastLine) return out;
  let text = lastLine.trim();
  if (text.startsWith('data:')) text = text.slice(5).trim();
  let o: Record<string, unknown>;
  try {
    const j = JSON.parse(text) as unknown;
    if (j === null || typeof j !== 'object' || Array.isArray(j)) return out;
    o = j as Record<string, unknown>;
  } catch {
    return scan(text);
  }
  if (typeof o.done_reason === 'string') out.done_reason = o.done_reason;
  for (const k of METRICS) if (typeof o[k] === 'number') out[k] = o[k] as number;
  if (typeof o.error === 'string') out.error = o.error;
  else if (o.error && typeof o.error === 'object' && typeof (o.error as Record<string, unknown>).message === 'string') {
    out.error = (o.error as Record<string, unknown>).message as string;
  }
  const usage = o.usage as Record<string, unknown> | undefined;
  if (usage && typeof usage === 'object') {
    if (typeof usage.prompt_tokens === 'number') out.prompt_eval_count = usage.prompt_tokens;
    if (typeof usage.completion_tokens === 'number') out.eval_count = usage.completion_tokens;
  }
  return out;
}

/**
 * The metric fields of a body only the end of which was kept (a large
 * non-streamed answer): found by name. A name inside the answer's text cannot
 * match, since JSON escapes its quotes.
 */
function scan(text: string): ResponseFacts {
  const out: ResponseFacts = {};
  for (const k of METRICS) {
    const all = [...text.matchAll(new RegExp(`"${k}":(\\d+)`, 'g'))];
    if (all.length) out[k] = Number(all[all.length - 1]![1]);
  }
  const reason = [...text.matchAll(/"done_reason":"([a-z_]+)"/g)];
  if (reason.length) out.done_reason = reason[reason.length - 1]![1];
  return out;
}

/**
 * Keeps the last `limit` bytes of a response, enough to read the final NDJSON
 * or SSE object, or the metrics at the end of a JSON body. Bytes are copied
 * into one buffer per response (grown as needed, compacted when full): holding
 * on to every chunk instead kept thousands of small buffers alive per stream,
 * and the garbage collector's pauses, copying them, showed in the proxy's p99.
 */
export class LastLine {
  private buf: Buffer | null = null;
  private len = 0;

  constructor(private readonly limit = 64 << 10) {}

  /** Appends `chunk[start, end)`. */
  push(chunk: Buffer, start = 0, end = chunk.length): void {
    let from = start;
    let n = end - start;
    if (n <= 0) return;
    if (n >= this.limit) {
      from = end - this.limit;
      n = this.limit;
      this.len = 0;
    }
    if (!this.buf || this.len + n > this.buf.length) {
      // Of what is held, only the last limit − n bytes can still be in the window.
      const keep = Math.min(this.len, this.limit - n);
      const max = this.limit + (this.limit >> 1);
      const size = this.buf && this.buf.length >= max ? this.buf.length : Math.min(max, Math.max(256, 2 * (this.buf?.length ?? 0), keep + n));
      const next = size === this.buf?.length ? this.buf : Buffer.allocUnsafe(size);
      if (this.buf && keep > 0) this.buf.copy(next, 0, this.len - keep, this.len);
      this.buf = next;
      this.len = keep;
    }
    chunk.copy(this.buf, this.len, from, from + n);
    this.len += n;
  }

  /** The last line that is not blank or an SSE "data: [DONE]" (a JSON body has no newline: it is its own line). */
  final(): string | null {
    if (!this.buf) return null;
    const start = Math.max(0, this.len - this.limit);
    // From the end backwards: only the lines after the answer's last one are decoded.
    for (let end = this.len; end > start;) {
      const nl = this.buf.lastIndexOf(10, end - 1);
      const from = nl < start ? start : nl + 1;
      const line = this.buf.toString('utf8', from, end).trim();
      if (line !== '' && !/^data:\s*\[DONE\]$/.test(line)) return line;
      end = from - 1;
    }
    return null;
  }

}
