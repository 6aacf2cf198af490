import type { Plan } from '../plan/plan.js';

const money = (p: number | null, basis: string) => (p === null ? 'no price' : basis === 'hour' ? `$${p.toFixed(2)}/h` : `$${Math.round(p)}`);
const secs = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(2)} s`);

/** `ollamasim plan`: the recommendation, why cheaper options fail, and the frontier (its chart: plan-section.ts). */
export function planText(p: Plan): string {
  const lines: string[] = [`Objectives (met with 95 % confidence): ${p.slos.map((s) => s.text).join(', ')}`, ''];
  if (p.best) {
    lines.push(`Cheapest configuration that meets them: ${p.best.candidate} — ${money(p.best.price, p.basis)}`);
    lines.push(`  p95 ${secs(p.best.estimates.latency_p95_s?.mean)}, failures ${((p.best.estimates.failure_share?.mean ?? 0) * 100).toFixed(2)} %, cold ${((p.best.estimates.cold_share?.mean ?? 0) * 100).toFixed(1)} %`);
  } else {
    lines.push('No configuration in the search space meets every objective.');
  }
  if (p.rejected.length) {
    lines.push('', 'Cheaper options and the objective each broke:');
    for (const c of p.rejected.slice(0, 20)) lines.push(`  ${money(c.price, p.basis).padEnd(10)} ${c.candidate}: ${c.broken ? `broke ${c.broken.text} (${figure(c, c.broken.figure as string)})` : 'meets them'}`);
    if (p.rejected.length > 20) lines.push(`  … and ${p.rejected.length - 20} more (cells.csv has all)`);
  }
  lines.push('', 'Cost/latency frontier (no cheaper option has a lower p95):');
  for (const c of p.frontier) lines.push(`  ${money(c.price, p.basis).padEnd(10)} p95 ${secs(c.estimates.latency_p95_s?.mean).padEnd(9)} ${c.candidate}${c.broken ? '' : '  ✓'}`);
  return lines.join('\n') + '\n';
}

function figure(c: Plan['cells'][number], name: string): string {
  const e = c.estimates[name];
  if (!e || Number.isNaN(e.mean)) return 'no successful request';
  return name.endsWith('share') ? `${(e.mean * 100).toFixed(2)} % ± ${(e.ci95 * 100).toFixed(2)}` : `${e.mean.toFixed(2)} s ± ${e.ci95.toFixed(2)}`;
}
