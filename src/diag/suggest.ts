/**
 * The closest allowed name to a mistyped one, for "did you mean" hints:
 * the only allowed name that the given one begins, else the case-insensitive
 * optimal-string-alignment distance, accepted when it is at most a third of
 * the name's length (and at least 2 edits are always allowed).
 */
export function nearest(name: string, allowed: readonly string[]): string | null {
  const a = name.toLowerCase();
  // A name cut short (OLLAMA_MAX_LOADED) means the one it starts, not a closer-spelled neighbour.
  const longer = a.length >= 4 ? allowed.filter((c) => c.toLowerCase().startsWith(a)) : [];
  if (longer.length === 1) return longer[0]!;
  let best: string | null = null;
  let bestD = Infinity;
  for (const candidate of allowed) {
    const d = distance(a, candidate.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = candidate;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
