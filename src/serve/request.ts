import { INVALID, parseRequestKeepAlive } from '../ollama/index.js';
import { Op } from '../workload/trace.js';
import { keepAliveError } from './api.js';

/** The three inference endpoints serve answers. */
export type Endpoint = 'generate' | 'chat' | 'embed';

/** What the simulator needs of one inference request (its text is only counted, never kept). */
export interface ApiRequest {
  endpoint: Endpoint;
  model: string;
  /** keep_alive in the scheduler's encoding (µs; NaN absent, INVALID, Infinity forever). */
  keepAlive: number;
  /** The 400 message when keep_alive is invalid. */
  keepAliveError: string | null;
  numCtx: number;
  /** options.num_predict (> 0), else 0. */
  numPredict: number;
  stream: boolean;
  op: Op;
  promptTokens: number;
  /** Texts to embed (/api/embed). */
  inputs: number;
  dimensions: number;
}

/** A request body Ollama rejects before scheduling: HTTP status and message. */
export class BadRequest extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Prompt tokens from text: about 4 characters a token for English under
 * Llama-family BPE vocabularies (a rule of thumb, not a tokenizer), plus a few
 * template tokens per chat message.
 */
export const tokensOf = (text: string): number => (text.length === 0 ? 0 : Math.ceil(text.length / 4));
const CHAT_TEMPLATE_TOKENS = 4;

/**
 * Reads a generate, chat or embed body as the handlers of routes.go do: an
 * empty body is 400 (routes.go:249); no model is 404 "model '' not found"
 * (routes.go:261); an empty prompt / no messages / empty input is a load, and
 * with keep_alive 0 an unload (routes.go:403, 478; docs/api.md "Load a model").
 */
export function parseApiRequest(endpoint: Endpoint, body: string): ApiRequest {
  if (body.trim() === '') throw new BadRequest(400, 'missing request body');
  let j: unknown;
  try {
    j = JSON.parse(body);
  } catch (e) {
    throw new BadRequest(400, (e as Error).message);
  }
  if (j === null || typeof j !== 'object' || Array.isArray(j)) throw new BadRequest(400, 'json: cannot unmarshal into Go value of type api.Request');
  const o = j as Record<string, unknown>;
  const model = typeof o.model === 'string' ? o.model : '';
  if (model === '') throw new BadRequest(404, "model '' not found");
  const options = (o.options && typeof o.options === 'object' ? o.options : {}) as Record<string, unknown>;
  const keepAlive = parseRequestKeepAlive(o.keep_alive);
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 0);

  let promptTokens = 0;
  let empty: boolean;
  let inputs = 0;
  if (endpoint === 'generate') {
    const prompt = typeof o.prompt === 'string' ? o.prompt : '';
    empty = prompt === '';
    promptTokens = tokensOf(prompt) + tokensOf(typeof o.system === 'string' ? o.system : '');
  } else if (endpoint === 'chat') {
    const messages = Array.isArray(o.messages) ? o.messages : [];
    empty = messages.length === 0;
    for (const m of messages) {
      const content = m && typeof m === 'object' ? (m as Record<string, unknown>).content : '';
      promptTokens += tokensOf(typeof content === 'string' ? content : '') + CHAT_TEMPLATE_TOKENS;
    }
  } else {
    const input = o.input;
    const texts = typeof input === 'string' ? (input ? [input] : []) : Array.isArray(input) ? input : [];
    // routes.go:820–836: a string, a list of strings, or nothing.
    if (texts.some((t) => typeof t !== 'string') || (input != null && typeof input !== 'string' && !Array.isArray(input))) {
      throw new BadRequest(400, 'invalid input type');
    }
    inputs = texts.length;
    empty = inputs === 0;
    for (const t of texts as string[]) promptTokens += tokensOf(t);
  }
  // An empty /api/embed loads too, with no unload shortcut (spec §3): an embedding of nothing, no slot time.
  const op = !empty || endpoint === 'embed' ? Op.generate : keepAlive === 0 ? Op.unload : Op.preload;
  return {
    endpoint,
    model,
    keepAlive,
    keepAliveError: keepAlive === INVALID ? keepAliveError(o.keep_alive) : null,
    numCtx: num(options.num_ctx),
    numPredict: num(options.num_predict),
    // "stream" is true by default (types.go:83, 140); /api/embed never streams.
    stream: endpoint !== 'embed' && o.stream !== false,
    op,
    promptTokens: Math.max(promptTokens, empty ? 0 : 1),
    inputs,
    dimensions: num(o.dimensions),
  };
}
