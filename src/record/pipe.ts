import { connect, type Socket } from 'node:net';
import { FramingError, type Framing, type Head, Http1Reader } from './http1.js';
import { isInference, LastLine, requestFacts, responseFacts, type RequestFacts } from './fields.js';
import type { Outcome, RecordedRequest, Recorder } from './recorder.js';

/** Where every upstream connection reads (each read is copied out before the next). */
const READ_BUFFER = Buffer.allocUnsafe(64 << 10);

/** The first n bytes of a read, in a buffer of their own (small ones from Node's pool: no allocation of its own). */
const copy = (b: Uint8Array, n: number): Buffer => {
  const c = Buffer.allocUnsafe(n);
  Buffer.prototype.copy.call(b, c, 0, 0, n);
  return c;
};

/** The host to connect to: an IPv6 address without the URL's brackets ("[::1]" → "::1"). */
export const hostOf = (u: URL): string => u.hostname.replace(/^\[(.*)\]$/, '$1');

/** Request bodies up to this size are read for model, keep_alive and options (larger: endpoint only). */
const BODY_LIMIT = 64 << 20;

export interface PipeContext {
  upstream: URL;
  recorder: Recorder;
  /** Seconds since the recording started. */
  since(): number;
  /** Wall time now, ms since the epoch. */
  wall(): number;
  /** Runs `f` once the I/O at hand has been handled (in order; all of it before the recording stops). */
  later(f: () => void): void;
}

/** One request on a client connection and its response, as far as they have come. */
interface Exchange {
  id: number;
  at: number;
  /** Arrival, ms since the epoch. */
  wall: number;
  method: string;
  url: string;
  body: Buffer[] | null;
  bodyBytes: number;
  facts: RequestFacts | null;
  /** The request's last byte has arrived. */
  complete: boolean;
  tail: LastLine;
  sent: number;
  firstByte: number;
  status: number;
  finished: boolean;
}

/**
 * One client connection and its own upstream connection (1:1, so keep-alive
 * and pipelining mean what they meant to the client). Bytes move at the TCP
 * level: the client's go upstream as they come (each request head rewritten
 * for the upstream's Host), the upstream's go to the client unchanged, one
 * write per read. Beside each stream an HTTP/1.1 framing reader watches where
 * requests and responses begin and end, to record each exchange; what it
 * reads never holds a byte back.
 */
export class Pipe {
  private readonly up: Socket;
  /** Why the upstream connection is gone (null while it is usable). */
  private upGone: string | null = null;
  private upConnected = false;
  private clientGone = false;
  /** Requests whose responses have not ended, in the order they came. */
  private readonly queue: Exchange[] = [];
  /** The request whose bytes are arriving. */
  private reading: Exchange | null = null;
  /** The response being read is informational (1xx): it does not answer the request. */
  private info = false;
  /** After a 101 or a CONNECT: bytes only. */
  private tunnel = false;
  /** Bytes for the upstream gathered while one client read is parsed. */
  private outbox: Buffer[] | null = null;
  private readonly req: Http1Reader;
  private readonly res: Http1Reader;

  constructor(private readonly client: Socket, private readonly ctx: PipeContext, onClose: (p: Pipe) => void) {
    const u = ctx.upstream;
    this.req = new Http1Reader('request', {
      head: (h) => this.requestHead(h),
      body: (b, start, end) => this.requestBody(b.subarray(start, end)),
      wire: (b) => this.toUpstream(b),
      end: () => this.requestEnd(),
    });
    this.res = new Http1Reader('response', {
      head: (h) => this.responseHead(h),
      body: (b, start, end) => this.responseBody(b, start, end),
      end: () => this.responseEnd(),
    });
    // No Nagle on either side: a streamed token must not wait for the next one (or for a delayed ACK).
    // Upstream bytes are read into one buffer shared by every connection (onread: none of the readable-stream
    // machinery per read) and copied out at their size, so that a write the kernel does not take at once owns its bytes.
    this.up = connect({
      host: hostOf(u), port: Number(u.port || 80), noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (n: number, b: Uint8Array) => this.fromUpstream(copy(b, n)) },
    });
    this.up.on('connect', () => { this.upConnected = true; });
    this.up.on('end', () => this.safely(() => this.upstreamEnded(this.res.eof() === 'truncated' ? 'upstream closed mid-response' : 'upstream closed the connection')));
    this.up.on('error', (e: NodeJS.ErrnoException) => this.safely(() => this.upstreamEnded(e.code ?? e.message)));
    this.up.on('close', () => this.safely(() => this.upstreamEnded('upstream closed the connection')));
    this.up.on('drain', () => this.client.resume());
    client.on('data', (c: Buffer) => this.fromClient(c));
    client.on('drain', () => this.up.resume());
    client.on('end', () => this.safely(() => this.clientEnded()));
    client.on('error', () => this.safely(() => this.clientEnded()));
    client.on('close', () => {
      this.safely(() => this.clientEnded());
      onClose(this);
    });
  }

  /** The recording stops: open exchanges end as in_flight_at_stop, both connections close. */
  stop(): void {
    for (const ex of this.queue) this.finish(ex, 'in_flight_at_stop');
    this.queue.length = 0;
    this.clientGone = true;
    this.client.destroy();
    this.up.destroy();
  }

  // ── upstream → client ──

  /** Upstream bytes: to the client first, unchanged; then read for what they say. */
  private fromUpstream(c: Buffer): true {
    // A client slower than the upstream: read no more until it drains (resumed on its 'drain').
    if (!this.clientGone && !this.client.write(c)) this.up.pause();
    try {
      this.res.push(c);
    } catch (e) {
      this.cut(`bad response from upstream: ${(e as Error).message}`);
    }
    return true;
  }

  private responseHead(h: Head): Framing {
    const ex = this.queue[0];
    this.info = h.status < 200 && h.status !== 101;
    if (this.info || !ex) return undefined;
    ex.status = h.status;
    if (ex.method === 'HEAD') return 'none';
    if (ex.method === 'CONNECT' && h.status >= 200 && h.status < 300) return 'tunnel';
    return undefined;
  }

  private responseBody(b: Buffer, start: number, end: number): void {
    const ex = this.queue[0];
    if (!ex || this.info) return;
    if (ex.sent === 0) ex.firstByte = this.ctx.since();
    ex.sent += end - start;
    ex.tail.push(b, start, end);
  }

  private responseEnd(): void {
    if (this.info) {
      this.info = false;
      return;
    }
    const ex = this.queue.shift();
    if (!ex) return;
    this.finish(ex, ex.status >= 400 ? 'http_error' : 'ok');
    if (ex.status === 101 || (ex.method === 'CONNECT' && ex.status >= 200 && ex.status < 300)) {
      this.tunnel = true;
      this.req.opaque();
    }
  }

  /**
   * The upstream connection ended or failed. Nothing of an answer sent yet: the
   * client gets a 502 (as node:http did); mid-answer: the client's connection
   * is cut, as the upstream's was; between answers: it is closed, as the upstream's was.
   */
  private upstreamEnded(why: string): void {
    if (this.upGone !== null) return;
    this.upGone = why;
    if (this.clientGone) return;
    if (this.tunnel) {
      this.client.end();
      return;
    }
    if (this.queue.length === 0) {
      // Never connected: the next request gets the 502. Else an idle connection closed: so does this one.
      if (this.upConnected) this.client.end();
      return;
    }
    if (this.res.idle) this.answer502();
    else this.cut('upstream closed mid-response');
  }

  /** 502 to the first waiting request once it has fully arrived; the connection then closes. */
  private answer502(): void {
    const ex = this.queue[0];
    if (!ex || !ex.complete || this.clientGone) return;
    const why = this.upGone ?? 'unknown';
    const b = JSON.stringify({ error: `ollamasim record: upstream ${this.ctx.upstream.origin} unreachable: ${why}` });
    this.client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(b)}\r\nConnection: close\r\n\r\n${b}`);
    for (const e of this.queue) this.finish(e, 'upstream_error', why);
    this.queue.length = 0;
    this.clientGone = true;
  }

  /** Ends every open exchange as upstream_reset and cuts the client. */
  private cut(why: string): void {
    for (const ex of this.queue) this.finish(ex, 'upstream_reset', why);
    this.queue.length = 0;
    this.clientGone = true;
    this.client.destroy();
    this.up.destroy();
  }

  // ── client → upstream ──

  private fromClient(c: Buffer): void {
    // What one read brings (a head, rewritten, and the body after it) goes upstream in one write.
    const out: Buffer[] = (this.outbox = []);
    try {
      this.req.push(c);
    } catch (e) {
      const why = e instanceof FramingError ? `bad request: ${e.message}` : (e as Error).message;
      if (this.queue.length === 0 && this.res.idle && e instanceof FramingError) this.client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      else this.client.destroy();
      for (const ex of this.queue) this.finish(ex, 'client_disconnect', why);
      this.queue.length = 0;
      this.clientGone = true;
      this.up.destroy();
      return;
    } finally {
      this.outbox = null;
    }
    if (out.length) this.toUpstream(out.length === 1 ? out[0]! : Buffer.concat(out));
  }

  private toUpstream(b: Buffer): void {
    if (this.outbox) this.outbox.push(b);
    else if (this.upGone === null && !this.up.write(b)) this.client.pause();
  }

  private requestHead(h: Head): Framing {
    const method = h.method;
    const url = h.target;
    const traced = isInference(method, url);
    const ex: Exchange = {
      id: this.ctx.recorder.begin(traced), at: this.ctx.since(), wall: this.ctx.wall(), method, url,
      body: traced ? [] : null, bodyBytes: 0, facts: null, complete: false,
      tail: new LastLine(), sent: 0, firstByte: NaN, status: 0, finished: false,
    };
    this.queue.push(ex);
    this.reading = ex;
    this.toUpstream(Buffer.from(upstreamHead(h, this.ctx.upstream.host), 'latin1'));
    return undefined;
  }

  private requestBody(b: Buffer): void {
    const ex = this.reading;
    if (!ex?.body) return;
    ex.bodyBytes += b.length;
    if (ex.bodyBytes <= BODY_LIMIT) ex.body.push(b);
    else ex.body.length = 0;
  }

  private requestEnd(): void {
    const ex = this.reading;
    this.reading = null;
    if (!ex) return;
    ex.complete = true;
    if (!ex.finished) ex.facts = requestFacts(ex.method, ex.url, readBody(ex));
    ex.body = null;
    if (this.upGone !== null) this.answer502();
  }

  /**
   * The client went away (closed, reset, or ended its side) with answers still
   * owed: Ollama sees its connection close (a cancel, spec §5.6). With none owed
   * the upstream connection just closes too.
   */
  private clientEnded(): void {
    if (this.clientGone) return;
    this.clientGone = true;
    const owed = this.queue.length > 0;
    for (const ex of this.queue) this.finish(ex, 'client_disconnect');
    this.queue.length = 0;
    if (owed) {
      this.up.destroy();
      this.client.destroy();
    } else {
      this.up.end();
    }
  }

  /** Whatever goes wrong in one connection ends that connection only. */
  private safely(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.cut((e as Error).message);
    }
  }

  /**
   * Records an exchange. Its end time is taken now; the rest (reading the final
   * line, writing the record) waits until the I/O at hand has been handled: at
   * the end of a burst, 200 streams end together, and the chunks still in flight
   * must not queue behind 200 records.
   */
  private finish(ex: Exchange, outcome: Outcome, error?: string): void {
    if (ex.finished) return;
    ex.finished = true;
    const end = this.ctx.since();
    const body = ex.facts ? null : readBody(ex);
    this.ctx.later(() => {
      const facts = ex.facts ?? requestFacts(ex.method, ex.url, body);
      const r: RecordedRequest = {
        id: ex.id, at: ex.at, end, ...(Number.isNaN(ex.firstByte) ? {} : { first_byte: ex.firstByte }), wall: new Date(ex.wall).toISOString(),
        method: ex.method, endpoint: facts.endpoint, op: facts.op, model: facts.model,
        ...(facts.keepAlive !== undefined ? { keep_alive: facts.keepAlive } : {}),
        options: facts.options, stream: facts.stream,
        status: outcome === 'client_disconnect' ? 499 : outcome === 'upstream_error' ? 502 : ex.status,
        outcome, response: responseFacts(ex.tail.final()), bytes: ex.sent, ...(error ? { error } : {}),
      };
      this.ctx.recorder.end(r, facts);
    });
  }

}

const readBody = (ex: Exchange): string | null => (ex.body && ex.bodyBytes <= BODY_LIMIT ? Buffer.concat(ex.body).toString('utf8') : null);

/**
 * The request head for the upstream: as the client sent it, but with the
 * upstream's Host (as node:http's proxy did) and without the headers a client
 * addresses to a proxy. Every other field goes on: with one upstream connection
 * per client connection, Connection, Keep-Alive, TE and Upgrade keep their meaning.
 */
export function upstreamHead(h: Head, host: string): string {
  let out = `${h.start}\r\n`;
  let hostSent = false;
  for (const f of h.fields) {
    if (f.name === 'proxy-connection' || f.name === 'proxy-authorization') continue;
    if (f.name === 'host') {
      if (!hostSent) out += `${f.line.slice(0, f.line.indexOf(':'))}: ${host}\r\n`;
      hostSent = true;
    } else {
      out += `${f.line}\r\n`;
    }
  }
  if (!hostSent) out += `Host: ${host}\r\n`;
  return `${out}\r\n`;
}
