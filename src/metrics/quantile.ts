/**
 * The one quantile definition used everywhere: nearest rank. The p-quantile of
 * n values is the ceil(p·n)-th smallest (p = 0 gives the smallest). It is always
 * a value that occurred — a p99 latency some request really had — and needs no
 * interpolation choice. NaN for no values.
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil(p * n));
  return sorted[Math.min(rank, n) - 1]!;
}


/**
 * Nearest-rank quantiles of `values` without sorting them all (the array may
 * be reordered). Large lists of values ≥ 0 go by their bits: one pass counts
 * them into 65,536 buckets by the top 16 bits of their float64 pattern (which
 * orders non-negative doubles as their values), a second copies out only the
 * buckets that hold a wanted rank, and those few are searched by quickselect —
 * all the ranks of a CDF for two passes over the list. Small lists, and lists
 * with negative values, go straight to quickselect.
 */
export function quantilesInPlace(values: Float64Array, ps: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return ps.map(() => NaN);
  const ranks = ps.map((p) => Math.min(Math.max(1, Math.ceil(p * n)), n) - 1);
  if (n >= RADIX_FROM && LITTLE_ENDIAN && values.byteOffset % 8 === 0) {
    const found = byBuckets(values, ranks);
    if (found) return found;
  }
  const distinct = [...new Set(ranks)].sort((a, b) => a - b);
  selectAll(values, 0, n - 1, distinct, 0, distinct.length - 1);
  return ranks.map((k) => values[k]!);
}

const RADIX_FROM = 4096;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const counts = new Int32Array(65536);
const wanted = new Int32Array(65536).fill(-1);

/** The values at `ranks` (0-based, in sorted order), or null when a value is negative (its sign bit breaks the order). */
function byBuckets(values: Float64Array, ranks: readonly number[]): number[] | null {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  countBuckets(words, n);
  if (anyNegative()) return null;
  // Each rank's bucket, and its rank among that bucket's values.
  const bucketOf = new Int32Array(ranks.length);
  const within = new Float64Array(ranks.length);
  locateRanks(ranks, bucketOf, within);
  // Copy out the wanted buckets' values in one pass.
  const lists: Float64Array[] = [];
  const fill: number[] = [];
  for (const k of bucketOf) {
    if (wanted[k]! >= 0) continue;
    wanted[k] = lists.length;
    lists.push(new Float64Array(counts[k]!));
    fill.push(0);
  }
  copyWanted(values, words, lists, fill);
  const out = ranks.map((_, i) => {
    const list = lists[wanted[bucketOf[i]!]!]!;
    select(list, 0, list.length - 1, within[i]!);
    return list[within[i]!]!;
  });
  for (const k of bucketOf) wanted[k] = -1;
  return out;
}

/*
 * The loops are functions of their own: V8 optimises
 * each once and keeps it. Inside byBuckets, each call's loop was compiled on
 * the spot and thrown away at the code after it, which had not run yet (18
 * compilations and 45 deoptimisations in a 3-candidate run).
 */
function countBuckets(words: Uint32Array, n: number): void {
  counts.fill(0);
  for (let i = 1; i < 2 * n; i += 2) counts[words[i]! >>> 16]!++;
}

/** Sign bit set (negative, or −0): the buckets from 32,768 up. */
function anyNegative(): boolean {
  for (let k = 32768; k < 65536; k++) if (counts[k]! > 0) return true;
  return false;
}

function locateRanks(ranks: readonly number[], bucketOf: Int32Array, within: Float64Array): void {
  const order = ranks.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]!);
  let b = 0;
  let below = 0;
  for (const i of order) {
    while (below + counts[b]! <= ranks[i]!) below += counts[b++]!;
    bucketOf[i] = b;
    within[i] = ranks[i]! - below;
  }
}

function copyWanted(values: Float64Array, words: Uint32Array, lists: Float64Array[], fill: number[]): void {
  for (let i = 0; i < values.length; i++) {
    const w = wanted[words[2 * i + 1]! >>> 16]!;
    if (w >= 0) lists[w]![fill[w]!++] = values[i]!;
  }
}

/** Puts each rank ks[i..j] (increasing, all within lo..hi) in its sorted place in a[lo..hi]. */
function selectAll(a: Float64Array, lo: number, hi: number, ks: readonly number[], i: number, j: number): void {
  if (i > j || lo >= hi) return;
  const mid = (i + j) >> 1;
  const k = ks[mid]!;
  select(a, lo, hi, k);
  selectAll(a, lo, k - 1, ks, i, mid - 1);
  selectAll(a, k + 1, hi, ks, mid + 1, j);
}

/** Moves the k-th smallest of a[lo..hi] to a[k], smaller ones before it, larger after (Hoare partition, median-of-three pivot). */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
