/**
 * The HTTP/1.1 framing reader behind `record` (RFC 9112 §6–7): where each
 * message ends, its body without chunk framing, and the bytes after each head,
 * however the connection splits them.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Framing, FramingError, type Head, Http1Reader } from '../../src/record/http1.js';

interface Seen {
  heads: string[];
  bodies: string[];
  wire: string;
}

/** Feeds `parts` to a reader; one body string per message ended, plus the wire bytes. */
function read(kind: 'request' | 'response', parts: Buffer[], framing: (h: Head) => Framing = () => undefined, eof = false): Seen & { eof?: string; reader: Http1Reader } {
  const seen: Seen = { heads: [], bodies: [], wire: '' };
  let body = '';
  const reader = new Http1Reader(kind, {
    head: (h) => {
      seen.heads.push(kind === 'request' ? `${h.method} ${h.target}` : String(h.status));
      return framing(h);
    },
    body: (b, start, end) => { body += b.toString('latin1', start, end); },
    wire: (b) => { seen.wire += b.toString('latin1'); },
    end: () => {
      seen.bodies.push(body);
      body = '';
    },
  });
  for (const p of parts) reader.push(p);
  return { ...seen, reader, ...(eof ? { eof: reader.eof() } : {}) };
}

/** The text cut at the given offsets. */
const cut = (text: string, at: number[]): Buffer[] => {
  const b = Buffer.from(text, 'latin1');
  const points = [...new Set(at.map((x) => x % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, b.length]) {
    if (p > from) out.push(b.subarray(from, p));
    from = Math.max(from, p);
  }
  return out;
};
/** Every way of cutting the text in two, and byte by byte. */
const everySplit = (text: string): Buffer[][] => [
  ...Array.from({ length: text.length + 1 }, (_, i) => cut(text, [i])),
  cut(text, Array.from({ length: text.length }, (_, i) => i)),
];

const CHUNKED = 'HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n'
  + 'f;name=value;x="q"\r\n{"done":false}\n\r\n'
  + '38\r\n{"done":true,"eval_count":3,"eval_duration":7,"x":"ab"}\n\r\n'
  + '0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n';
const CHUNKED_BODY = '{"done":false}\n{"done":true,"eval_count":3,"eval_duration":7,"x":"ab"}\n';

describe('responses (RFC 9112 §6.3)', () => {
  test('chunked with extensions and trailers, cut anywhere: the same body, one end', () => {
    expect(Buffer.byteLength('{"done":true,"eval_count":3,"eval_duration":7,"x":"ab"}\n')).toBe(0x38);
    for (const parts of everySplit(CHUNKED)) {
      const r = read('response', parts);
      expect(r.heads).toEqual(['200']);
      expect(r.bodies).toEqual([CHUNKED_BODY]);
      expect(r.reader.idle).toBe(true);
    }
  });

  test('content-length, then the next response on the same connection', () => {
    const two = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\nno';
    for (const parts of everySplit(two)) expect(read('response', parts).bodies).toEqual(['hello', 'no']);
  });

  test('no length and not chunked: the body runs until the connection closes', () => {
    const r = read('response', cut('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of this', [20, 40]), undefined, true);
    expect(r.bodies).toEqual(['all of this']);
    expect(r.eof).toBe('ended');
    // A transfer coding that does not end in chunked is read until close too.
    expect(read('response', [Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz')], undefined, true).bodies).toEqual(['zz']);
  });

  test('HEAD, 204 and 304 have no body whatever their headers say; 1xx come before the answer', () => {
    const head = read('response', [Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n')], () => 'none');
    expect(head.bodies).toEqual(['']);
    expect(head.reader.idle).toBe(true);
    const r = read('response', [Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nHTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx')]);
    expect(r.heads).toEqual(['100', '204', '304', '200']);
    expect(r.bodies).toEqual(['', '', '', 'x']);
  });

  test('101 and a CONNECT tunnel: after the head the connection is bytes only', () => {
    const up = read('response', cut('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05HTTP/1.1 200', [50, 60]));
    expect(up.bodies).toEqual(['']);
    expect(up.heads).toEqual(['101']);
    expect(up.wire).toBe('\x81\x05HTTP/1.1 200');
    const tunnel = read('response', [Buffer.from('HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 garbage')], () => 'tunnel');
    expect(tunnel.heads).toEqual(['200']);
    expect(tunnel.wire).toBe('HTTP/1.1 garbage');
  });

  test('a connection that closes mid-head, mid-chunk or mid-length is truncated; between messages it is clean', () => {
    for (const upTo of [10, CHUNKED.indexOf('{"done":false}') + 3, CHUNKED.length - 3]) {
      expect(read('response', [Buffer.from(CHUNKED.slice(0, upTo))], undefined, true).eof).toBe('truncated');
    }
    expect(read('response', [Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel')], undefined, true).eof).toBe('truncated');
    expect(read('response', [Buffer.from(CHUNKED)], undefined, true).eof).toBe('clean');
  });

  test('headers split over lines (obsolete folding) and bare LF line ends', () => {
    const h: Head[] = [];
    const reader = new Http1Reader('response', { head: (x) => { h.push(x); return undefined; }, end: () => undefined });
    reader.push(Buffer.from('HTTP/1.1 200 OK\nX-Long: a\n  b\nContent-Length: 0\n\n'));
    expect(h[0]!.fields.map((f) => [f.name, f.value])).toEqual([['x-long', 'a b'], ['content-length', '0']]);
    expect(reader.idle).toBe(true);
  });

  test('what is not HTTP is an error, never a guess', () => {
    const bad = ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'SSH-2.0-OpenSSH\r\n\r\n', 'HTTP/1.1 200 OK\r\nBad Header\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxyz'];
    for (const text of bad) expect(() => read('response', [Buffer.from(text)]), text).toThrow(FramingError);
    // The same length twice is one length (RFC 9110 §8.6).
    expect(read('response', [Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok')]).bodies).toEqual(['ok']);
  });
});

describe('requests', () => {
  const POST = 'POST /api/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 14\r\n\r\n{"model":"m"}\n';
  const CHUNKED_POST = 'POST /api/chat HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;ext\r\n{"mo\r\n9\r\ndel":"m"}\r\n0\r\n\r\n';

  test('pipelined requests cut anywhere: each head, each body, and the bytes after each head unchanged', () => {
    const text = `\r\n${POST}GET /api/ps HTTP/1.1\r\nHost: x\r\n\r\n${CHUNKED_POST}`;
    for (const parts of everySplit(text)) {
      const r = read('request', parts);
      expect(r.heads).toEqual(['POST /api/generate', 'GET /api/ps', 'POST /api/chat']);
      expect(r.bodies).toEqual(['{"model":"m"}\n', '', '{"model":"m"}']);
      expect(r.wire).toBe('{"model":"m"}\n4;ext\r\n{"mo\r\n9\r\ndel":"m"}\r\n0\r\n\r\n');
    }
  });

  test('a request without a length has no body; a transfer coding not ending in chunked is refused', () => {
    expect(read('request', [Buffer.from('DELETE /x HTTP/1.1\r\n\r\n')]).bodies).toEqual(['']);
    expect(() => read('request', [Buffer.from('POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n')])).toThrow(FramingError);
    expect(() => read('request', [Buffer.from('NOT HTTP\r\n\r\n')])).toThrow(FramingError);
  });

  test('opaque(): after an upgrade every byte is wire, none is parsed', () => {
    const r = read('request', [Buffer.from('GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')]);
    r.reader.opaque();
    r.reader.push(Buffer.from('\x81\x85frame'));
    expect(r.heads).toEqual(['GET /ws']);
    expect(r.reader.eof()).toBe('clean');
  });

  test('property: any sequence of messages, cut at any points, reads the same as in one piece', () => {
    const message = fc.oneof(
      fc.string({ maxLength: 40 }).map((b) => `POST /a HTTP/1.1\r\nContent-Length: ${Buffer.byteLength(b, 'latin1')}\r\n\r\n${b}`),
      fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 4 }).map((cs) =>
        `POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${cs.map((c) => `${Buffer.byteLength(c, 'latin1').toString(16)}\r\n${c}\r\n`).join('')}0\r\n\r\n`),
      fc.constant('GET /c HTTP/1.1\r\nHost: h\r\n\r\n'),
    );
    fc.assert(fc.property(fc.array(message, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (msgs, at) => {
      const text = msgs.join('');
      const whole = read('request', [Buffer.from(text, 'latin1')]);
      const pieces = read('request', cut(text, at));
      expect(pieces.heads).toEqual(whole.heads);
      expect(pieces.bodies).toEqual(whole.bodies);
      expect(pieces.wire).toBe(whole.wire);
      expect(whole.heads).toHaveLength(msgs.length);
    }));
  });
});
