import type { ServerResponse } from 'node:http';
import { Status } from '../events/index.js';
import type { Req } from '../ollama/index.js';
import { Op } from '../workload/trace.js';
import { chatResponse, embedResponse, errorBody, generateResponse, goTime, type Metrics, OLLAMA_ERRORS } from './api.js';
import type { LiveRequest, LiveSim } from './live.js';
import type { ApiRequest } from './request.js';

/** How much work a request asks for, before the scheduler stretches it (µs). */
export interface Work {
  promptTokens: number;
  outputTokens: number;
  promptUs: number;
  evalUs: number;
}

/** The text a simulated model "generates", one word a token. */
const WORDS = 'The quick brown fox jumps over the lazy dog while the simulated model keeps talking .'.split(' ');
export const tokenText = (k: number): string => `${WORDS[k % WORDS.length]} `;
const WORD_JSON = WORDS.map((_, k) => JSON.stringify(tokenText(k)));

/** A JSON body as gin's c.JSON writes it (render/json.go: application/json; charset=utf-8). */
export function sendJson(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * One HTTP request in flight: told by the simulation when its runner starts on
 * it and when it is answered, it writes Ollama's response — NDJSON chunks
 * (one per token, paced over the simulated eval time, streamResponse of
 * routes.go:2097) or one JSON body — with the metrics of the simulated run.
 */
export class Exchange implements LiveRequest {
  index = -1;
  private start = NaN;
  private promptUs = 0;
  private evalUs = 0;
  private sent = 0;
  finished = false;

  constructor(
    private readonly sim: LiveSim,
    private readonly res: ServerResponse,
    private readonly api: ApiRequest,
    private readonly work: Work,
    /** Embedding vectors for /api/embed (made up front: they do not depend on timing). */
    private readonly embeddings: number[][],
    private readonly pacer: { add(ex: Exchange): void; delete(ex: Exchange): void },
  ) {}

  started(at: number, work: number): void {
    this.split(at, work);
    if (this.api.stream && this.api.op === Op.generate) this.pacer.add(this);
  }

  /** The stretched work splits between prompt and output as the nominal times do. */
  private split(at: number, work: number): void {
    this.start = at;
    const nominal = this.work.promptUs + this.work.evalUs;
    this.promptUs = nominal > 0 ? Math.round((work * this.work.promptUs) / nominal) : 0;
    this.evalUs = work - this.promptUs;
  }

  /** Writes the tokens due by simulated time `t` (all but the last: that one goes with the answer). */
  tick(t: number): void {
    if (this.finished || Number.isNaN(this.start)) return;
    const n = this.work.outputTokens;
    const first = this.start + this.promptUs;
    if (t < first || n === 0) return;
    const due = Math.min(n - 1, Math.floor(((t - first) * n) / Math.max(1, this.evalUs)));
    this.writeTokens(due);
  }

  ended(r: Req): void {
    this.pacer.delete(this);
    if (this.finished) return;
    this.finished = true;
    if (r.status === Status.cancelled || this.res.destroyed) return;
    if (r.status === Status.ok) return this.answer(r);
    const message = r.http === 503 ? OLLAMA_ERRORS.maxQueue
      : r.http === 400 ? (this.api.keepAliveError ?? 'bad request')
      : Number.isNaN(r.start) ? OLLAMA_ERRORS.loadFailed : OLLAMA_ERRORS.restart;
    if (this.res.headersSent) {
      // Already streaming: an error line ends the stream (streamResponse, routes.go:2118).
      this.res.end(`${errorBody(message)}\n`);
    } else {
      sendJson(this.res, r.http || 500, errorBody(message));
    }
  }

  private answer(r: Req): void {
    const { api } = this;
    const at = this.sim.wallAt(r.end);
    if (api.op !== Op.generate && api.endpoint !== 'embed') {
      // Load and unload answers are single bodies (routes.go:406, 478).
      const reason = api.op === Op.unload ? 'unload' : 'load';
      const body = api.endpoint === 'chat' ? chatResponse(api.model, at, '', true, reason, null) : generateResponse(api.model, at, '', true, reason, null);
      return sendJson(this.res, 200, body);
    }
    if (Number.isNaN(this.start)) this.split(r.start, r.end - r.start);
    const m: Metrics = {
      totalUs: r.end - r.firstArrival,
      // checkpointLoaded − checkpointStart: until scheduleRunner returned (routes.go:476, 710).
      loadUs: r.admitted - r.firstArrival,
      promptEvalCount: this.work.promptTokens,
      promptEvalUs: this.promptUs,
      evalCount: this.work.outputTokens,
      evalUs: this.evalUs,
    };
    if (api.endpoint === 'embed') return sendJson(this.res, 200, embedResponse(api.model, this.embeddings, m));
    const reason = api.numPredict > 0 && this.work.outputTokens >= api.numPredict ? 'length' : 'stop';
    if (api.stream) {
      this.writeTokens(this.work.outputTokens);
      const last = api.endpoint === 'chat' ? chatResponse(api.model, at, '', true, reason, m) : generateResponse(api.model, at, '', true, reason, m);
      this.writeHead();
      this.res.end(`${last}\n`);
      return;
    }
    let text = '';
    for (let k = 0; k < this.work.outputTokens; k++) text += tokenText(k);
    const body = api.endpoint === 'chat' ? chatResponse(api.model, at, text, true, reason, m) : generateResponse(api.model, at, text, true, reason, m);
    sendJson(this.res, 200, body);
  }

  private writeHead(): void {
    if (!this.res.headersSent) this.res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
  }

  /** Writes tokens sent+1 … upTo, each an NDJSON chunk stamped with its own simulated time. */
  private writeTokens(upTo: number): void {
    if (upTo <= this.sent || this.res.destroyed) return;
    const { api } = this;
    const n = this.work.outputTokens;
    // The same bytes chatResponse/generateResponse make for a chunk, built by hand: this is the hot loop of a busy server.
    const head = `{"model":${JSON.stringify(api.model)},"created_at":"`;
    let out = '';
    for (let k = this.sent + 1; k <= upTo; k++) {
      const at = goTime(this.sim.wallAt(this.start + this.promptUs + Math.round((this.evalUs * k) / n)));
      const word = WORD_JSON[(k - 1) % WORDS.length]!;
      out += api.endpoint === 'chat'
        ? `${head}${at}","message":{"role":"assistant","content":${word}},"done":false}\n`
        : `${head}${at}","response":${word},"done":false}\n`;
    }
    this.sent = upTo;
    this.writeHead();
    this.res.write(out);
  }
}
