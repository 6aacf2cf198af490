import type { Plan } from '../plan/plan.js';
import type { Chart } from './charts.js';

const money = (p: number | null, basis: string) => (p === null ? 'no price' : basis === 'hour' ? `$${p.toFixed(2)}/h` : `$${Math.round(p)}`);
const secs = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(2)} s`);

/** `ollamasim plan`: the recommendation, why cheaper options fail, and the frontier. */
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

export function frontierChart(p: Plan): Chart {
  const frontier = new Set(p.frontier.map((c) => c.candidate));
  const values = p.cells.filter((c) => c.price !== null).map((c) => ({
    candidate: c.candidate, price: c.price, p95: c.estimates.latency_p95_s?.mean ?? null,
    verdict: c.broken ? `breaks ${c.broken.text}` : 'meets every objective', frontier: frontier.has(c.candidate),
  }));
  return {
    id: 'frontier', title: 'Cost against p95 latency',
    howToRead: 'One point per configuration: its price against its p95 latency, coloured by whether it meets every objective. The line joins the frontier — configurations no cheaper one beats. The recommendation is the cheapest green point.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: 'Cost against p95 latency', background: 'white',
      config: { font: 'DejaVu Sans' }, width: 640, height: 320, data: { values },
      layer: [
        { transform: [{ filter: 'datum.frontier' }], mark: { type: 'line', color: '#888' }, encoding: { x: { field: 'price', type: 'quantitative' }, y: { field: 'p95', type: 'quantitative' } } },
        { mark: { type: 'point', filled: true, size: 70 }, encoding: {
          x: { field: 'price', type: 'quantitative', title: p.basis === 'hour' ? 'price ($ per hour)' : 'price ($ to buy)' },
          y: { field: 'p95', type: 'quantitative', title: 'p95 latency (s)' },
          color: { field: 'verdict', type: 'nominal', title: null },
          tooltip: [{ field: 'candidate' }, { field: 'price' }, { field: 'p95' }] } },
      ],
    },
  };
}
