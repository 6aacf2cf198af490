/**
 * HTTP/1.1 message framing (RFC 9112), read incrementally from one direction
 * of a connection: where each message's head ends, where its body ends, and
 * the body's bytes without chunk framing. It only watches: the proxy forwards
 * the bytes itself (unchanged, as they came), and uses this to know which
 * request a response answers, when it ends, and what its body said.
 *
 * Bytes may be split anywhere: inside a head, a chunk-size line, a chunk
 * extension, the CRLF after chunk data, or a trailer.
 */

/** A message head: a request's method and target, or a response's status; fields with lower-case names. */
export interface Head {
  method: string;
  target: string;
  status: number;
  version: string;
  /** Header fields in order: lower-case name, value (trimmed), and the field's line as received. */
  fields: { name: string; value: string; line: string }[];
  /** The start line as received. */
  start: string;
}

/**
 * What the head alone cannot tell about a response's body, known from the
 * request it answers: `none` for a response to HEAD; `tunnel` for a 2xx to
 * CONNECT (no body, then the connection stops being HTTP).
 */
export type Framing = 'none' | 'tunnel' | undefined;

export interface FramingEvents {
  /** A message's head has arrived. */
  head(h: Head): Framing;
  /** Body bytes without chunk framing: `chunk[start, end)` of the pushed chunk (no copy, no view made). */
  body?(chunk: Buffer, start: number, end: number): void;
  /** The bytes after a head as received (body with its framing, and anything after a tunnel begins). */
  wire?(b: Buffer): void;
  /** The message ended. */
  end(): void;
}

export class FramingError extends Error {}

/** Node's default limit is 16 KiB; Go's net/http 1 MiB. A head past this is refused either way. */
const MAX_HEAD = 1 << 20;
/** A chunk-size line with its extensions, or a trailer line. */
const MAX_LINE = 64 << 10;

const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_END = 4;
const TRAILERS = 5;
const UNTIL_CLOSE = 6;
const OPAQUE = 7;
const FAILED = 8;

const CR = 13;
const LF = 10;

/** How a connection's read side ended: between messages, by ending a close-delimited body, or mid-message. */
export type Eof = 'clean' | 'ended' | 'truncated';

export class Http1Reader {
  private state = HEAD;
  /** Bytes of a head not yet complete. */
  private pending: Buffer | null = null;
  /** Body or chunk bytes still to come. */
  private remaining = 0;
  /** A chunk-size or trailer line not yet complete. */
  private line = '';
  private crSeen = false;
  /** The chunk being pushed and where its not-yet-reported wire bytes start. */
  private chunk: Buffer | null = null;
  private wireFrom = -1;

  constructor(private readonly kind: 'request' | 'response', private readonly on: FramingEvents) {}

  /** True between messages: nothing of a message has been seen that has not ended. */
  get idle(): boolean {
    return this.state === HEAD && this.pending === null;
  }

  /** The connection stops being HTTP (after a 101 or a CONNECT): everything from now on is wire bytes. */
  opaque(): void {
    if (this.pending && this.on.wire) this.on.wire(this.pending);
    this.pending = null;
    this.state = OPAQUE;
  }

  push(chunk: Buffer): void {
    if (this.state === FAILED) return;
    this.chunk = chunk;
    this.wireFrom = -1;
    const n = chunk.length;
    let pos = 0;
    try {
      while (pos < n) {
        if (this.state !== HEAD && this.wireFrom < 0) this.wireFrom = pos;
        switch (this.state) {
          case HEAD:
            pos = this.readHead(chunk, pos);
            break;
          case LENGTH:
          case CHUNK_DATA: {
            const take = Math.min(this.remaining, n - pos);
            if (this.on.body) this.on.body(chunk, pos, pos + take);
            this.remaining -= take;
            pos += take;
            if (this.remaining === 0) {
              if (this.state === LENGTH) this.finish(pos);
              else this.state = CHUNK_END;
            }
            break;
          }
          case CHUNK_END: {
            const c = chunk[pos++];
            if (c === CR && !this.crSeen) this.crSeen = true;
            else if (c === LF) {
              this.crSeen = false;
              this.state = CHUNK_SIZE;
            } else throw new FramingError('no CRLF after chunk data');
            break;
          }
          case CHUNK_SIZE:
          case TRAILERS: {
            const nl = chunk.indexOf(LF, pos);
            const end = nl < 0 ? n : nl;
            this.line += chunk.toString('latin1', pos, end);
            if (this.line.length > MAX_LINE) throw new FramingError('chunk-size or trailer line too long');
            pos = nl < 0 ? n : nl + 1;
            if (nl >= 0) this.endLine(pos);
            break;
          }
          case UNTIL_CLOSE:
            if (this.on.body) this.on.body(chunk, pos, n);
            pos = n;
            break;
          case OPAQUE:
            pos = n;
            break;
          default:
            return;
        }
      }
      this.flushWire(n);
    } catch (e) {
      this.state = FAILED;
      throw e;
    } finally {
      this.chunk = null;
    }
  }

  /** The read side closed: a close-delimited body ends here; anything else unfinished was cut. */
  eof(): Eof {
    if (this.state === UNTIL_CLOSE) {
      this.finish(0);
      return 'ended';
    }
    return this.idle || this.state === OPAQUE ? 'clean' : 'truncated';
  }

  private flushWire(to: number): void {
    if (this.wireFrom >= 0 && this.chunk && to > this.wireFrom && this.on.wire) this.on.wire(this.chunk.subarray(this.wireFrom, to));
    this.wireFrom = -1;
  }

  private finish(pos: number): void {
    this.flushWire(pos);
    this.state = HEAD;
    this.on.end();
  }

  private endLine(pos: number): void {
    let line = this.line;
    this.line = '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (this.state === TRAILERS) {
      if (line === '') this.finish(pos);
      return;
    }
    // chunk-size [; ext]* (RFC 9112 §7.1.1); whitespace before the ';' tolerated as most servers do.
    const semi = line.indexOf(';');
    const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new FramingError(`bad chunk size ${JSON.stringify(hex.slice(0, 20))}`);
    const size = parseInt(hex, 16);
    if (size === 0) this.state = TRAILERS;
    else {
      this.state = CHUNK_DATA;
      this.remaining = size;
    }
  }

  /** Reads head bytes from `pos`; returns where reading stopped (the chunk's end if the head goes on). */
  private readHead(chunk: Buffer, pos: number): number {
    let buf: Buffer;
    let from = 0;
    const had = this.pending ? this.pending.length : 0;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk.subarray(pos)]);
      from = Math.max(0, had - 3);
    } else {
      // Empty lines before a start line are ignored (RFC 9112 §2.2).
      while (pos < chunk.length && (chunk[pos] === CR || chunk[pos] === LF)) pos++;
      if (pos === chunk.length) return pos;
      buf = chunk.subarray(pos);
    }
    const end = headEnd(buf, from);
    if (end < 0) {
      if (buf.length > MAX_HEAD) throw new FramingError('head too large');
      this.pending = buf;
      return chunk.length;
    }
    this.pending = null;
    const next = pos + end - had;
    const h = parseHead(this.kind, buf.toString('latin1', 0, end));
    const framing = this.on.head(h);
    this.begin(h, framing);
    if (this.state === HEAD || this.state === OPAQUE) {
      // No body: the message ends with its head.
      const after = this.state;
      this.state = HEAD;
      this.on.end();
      if (after === OPAQUE) this.state = OPAQUE;
    }
    return next;
  }

  /** Sets how the body of a message with this head is framed (RFC 9112 §6.3). */
  private begin(h: Head, framing: Framing): void {
    const response = this.kind === 'response';
    if (response && (h.status === 101 || framing === 'tunnel')) {
      this.state = OPAQUE;
      return;
    }
    if (response && (framing === 'none' || h.status < 200 || h.status === 204 || h.status === 304)) {
      this.state = HEAD;
      return;
    }
    const te = fieldValues(h, 'transfer-encoding');
    if (te.length) {
      const codings = te.join(',').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
      if (codings[codings.length - 1] === 'chunked') this.state = CHUNK_SIZE;
      else if (response) this.state = UNTIL_CLOSE;
      else throw new FramingError('request transfer-encoding without chunked last');
      return;
    }
    const cl = fieldValues(h, 'content-length');
    if (cl.length) {
      const values = new Set(cl.join(',').split(',').map((s) => s.trim()));
      const v = [...values][0]!;
      if (values.size !== 1 || !/^\d{1,15}$/.test(v)) throw new FramingError(`bad content-length ${JSON.stringify(cl.join(',').slice(0, 40))}`);
      this.remaining = Number(v);
      this.state = this.remaining > 0 ? LENGTH : HEAD;
      return;
    }
    this.state = response ? UNTIL_CLOSE : HEAD;
  }
}

/** Where a head ends: the index just after its empty line (CRLF CRLF, or bare LFs), or -1. */
function headEnd(buf: Buffer, from: number): number {
  let i = buf.indexOf(LF, from);
  while (i >= 0) {
    if (buf[i + 1] === LF) return i + 2;
    if (buf[i + 1] === CR && buf[i + 2] === LF) return i + 3;
    i = buf.indexOf(LF, i + 1);
  }
  return -1;
}

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(\d\.\d)$/;
const STATUS_LINE = /^HTTP\/(\d\.\d) (\d{3})(?: .*)?$/;

function parseHead(kind: 'request' | 'response', text: string): Head {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const start = lines[0] ?? '';
  const h: Head = { method: '', target: '', status: 0, version: '', fields: [], start };
  if (kind === 'request') {
    const m = REQUEST_LINE.exec(start);
    if (!m) throw new FramingError(`bad request line ${JSON.stringify(start.slice(0, 60))}`);
    [h.method, h.target, h.version] = [m[1]!, m[2]!, m[3]!];
  } else {
    const m = STATUS_LINE.exec(start);
    if (!m) throw new FramingError(`bad status line ${JSON.stringify(start.slice(0, 60))}`);
    [h.version, h.status] = [m[1]!, Number(m[2])];
  }
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const last = h.fields[h.fields.length - 1];
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      // An obsolete line folding (RFC 9112 §5.2): part of the field before.
      last.value = `${last.value} ${line.trim()}`.trim();
      last.line = `${last.line}\r\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new FramingError(`bad header line ${JSON.stringify(line.slice(0, 60))}`);
    h.fields.push({ name: name.toLowerCase(), value: line.slice(colon + 1).trim(), line });
  }
  return h;
}

/** Every value of a field, in order. */
export function fieldValues(h: Head, name: string): string[] {
  const out: string[] = [];
  for (const f of h.fields) if (f.name === name) out.push(f.value);
  return out;
}
