import { type Advice, text } from '../plan/advise.js';
import { comparisonTable } from './table.js';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const ka = (s: number) => (s < 0 ? '-1 (forever)' : text(s));

/** `ollamasim advise`: the objective, the advice per model and how to deploy it, why, then the proof. */
export function adviceText(a: Advice): string {
  const target = a.cold_target_source === 'given'
    ? `cold-start share at most ${pct(a.cold_target!)}`
    : 'cold-start share at most the knee of its cold-share / idle-memory curve';
  const lines = [
    `Per model, the keep_alive with the least idle-resident GiB·h whose ${target},`,
    `searched by replay over ${a.grid_s.map(text).join(', ')}; gaps and outcomes from a run of "${a.observed}".`,
    '',
  ];
  for (const m of a.models) {
    lines.push(`  ${m.model}: keep_alive ${ka(m.keep_alive)}, ${m.sent_by === 'server' ? 'server-wide' : 'sent by clients'}  (${m.requests} requests; idle gap p50 ${m.gap_p50_s} s, p99 ${m.gap_p99_s} s; cold ${pct(m.cold_share)}, idle ${m.idle_gib_hours} GiB·h)`);
  }
  lines.push('', `How to deploy it: ${deployment(a)}`);
  if (a.reasons.length) lines.push('', 'Why not the alternatives:', ...a.reasons.map((r) => `  - ${r}`));
  lines.push('', 'Proved on the same workload (the recommendation first):', '');
  return lines.join('\n') + '\n' + comparisonTable(a.comparison);
}

function deployment(a: Advice): string {
  const server = a.server_keep_alive === null ? '' : `OLLAMA_KEEP_ALIVE=${text(a.server_keep_alive)}`;
  const sent = a.models.filter((m) => m.sent_by === 'client').map((m) => `${m.model} ${text(m.keep_alive)}`).join(', ');
  switch (a.deployment) {
    case 'server': return `set ${server} on the server; clients send no keep_alive.`;
    case 'client': return `clients send keep_alive per model (${sent}); no resurrection hang (ollama#17408) on this traffic.`;
    case 'mixed': return `set ${server} on the server, and clients send keep_alive only for ${sent}; the others send none, which avoids the resurrection hang (ollama#17408).`;
    case 'baseline': return `set ${server} on the server; clients send no keep_alive.`;
  }
}
