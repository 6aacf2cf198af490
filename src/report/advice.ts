import type { Advice } from '../plan/advise.js';
import { comparisonTable } from './table.js';

const dur = (s: number) => (s === 0 ? '0' : s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`);

/** `ollamasim advise`: per model the advised keep_alive with its evidence, then the proof. */
export function adviceText(a: Advice): string {
  const lines = ['Per model, keep warm across the 99th-percentile idle gap (+10 %, at most 1h):', ''];
  for (const m of a.models) {
    lines.push(`  ${m.model}: keep_alive ${dur(m.keepAlive)}  (${m.requests} requests; idle gap p50 ${m.gapP50} s, p99 ${m.gapP99} s; ${(m.coldShare * 100).toFixed(1)} % of gaps still longer)`);
  }
  lines.push('', 'Proved on the same trace (clients send the advised keep_alive per model):', '');
  return lines.join('\n') + '\n' + comparisonTable(a.comparison);
}
