import { fnv1a } from '../engine/index.js';
import type { VictimOrder } from './find-runner-to-unload.js';
import type { RunnerRef } from './runner-ref.js';

/**
 * ByDuration, the victim order before v0.6.6 (0.6.5 server/sched.go:670-677,
 * sorted at :778): sessionDuration only, over a list built from a Go map, with
 * an unstable sort — equal keep_alives come out in an effectively random order.
 * From v0.6.6 ByDurationAndName breaks ties by blob path (find-runner-to-unload.ts).
 * The simulator draws the tie from a hash of the runner's key and load time:
 * unrelated to the names, different from one load to the next, and the same on
 * every run (same seed → same bytes).
 */
export const byDurationRandomTies: VictimOrder = (a, b, keyNames) => {
  if (a.sessionDuration !== b.sessionDuration) return a.sessionDuration < b.sessionDuration ? -1 : 1;
  return tie(a, keyNames) - tie(b, keyNames) || a.key - b.key;
};

function tie(r: RunnerRef, keyNames: readonly string[]): number {
  return fnv1a(`${keyNames[r.key]}@${r.loadedAt}`);
}
