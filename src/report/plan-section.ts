import type { Plan, PlanCell } from '../plan/plan.js';
import { broken, type Slo } from '../plan/slo.js';
import { base, type Chart, numberPoints, WIDTH } from './charts.js';
import { escapeHtml } from './html.js';
import { planText } from './plan.js';
import { colourAt } from './style.js';

/**
 * The plan's part of report.html (`ollamasim plan --out`): the recommendation,
 * every objective each cheaper option breaks, and a frontier chart whose
 * points are numbered and keyed. Plan verdicts are taken as data.
 */
/** A cell as the planner may give it: with the cost it ranks on and every objective it broke, when it says so. */
type Cell = PlanCell & { cost?: number | null; brokenAll?: Slo[]; ownership?: unknown };
/** What the verdicts rest on, when the planner says so. */
type Confidence = { kind: string; replications: number };

/** The figure the plan ranks on: its cost when it gives one (a bought fleet's per month), else the price. */
const costOf = (c: Cell) => (c.cost !== undefined ? c.cost : c.price);
const money = (c: Cell, basis: string) => {
  const x = costOf(c);
  if (x === null) return 'no price';
  return basis === 'hour' ? `$${x.toFixed(2)}/h` : `$${Math.round(x).toLocaleString('en')}${c.ownership ? '/mo' : ''}`;
};

/** Every objective the cell breaks, not only the first (the planner's list when it gives one). */
export function brokenObjectives(slos: readonly Slo[], c: Cell): Slo[] {
  return c.brokenAll ?? slos.filter((s) => broken([s], c.estimates) !== null);
}

function objectivesLine(p: Plan): string {
  const list = escapeHtml(p.slos.map((s) => s.text).join(', '));
  const c = (p as Plan & { confidence?: Confidence }).confidence;
  if (!c || c.kind === 'interval') return `<p>Objectives, each met with 95 % confidence (the upper end of the figure's interval within it): ${list}.</p>`;
  return `<p>Objectives: ${list}. Each verdict comes from one deterministic run per configuration${c.kind === 'one-run' ? ' (one replication: no confidence interval)' : ' (identical replications: nothing is drawn at random)'}.</p>`;
}

function value(c: PlanCell, s: Slo): string {
  const e = c.estimates[s.figure];
  if (!e || Number.isNaN(e.mean)) return 'no successful request';
  const share = s.figure.endsWith('share');
  const f = (x: number) => (share ? `${(x * 100).toFixed(2)} %` : `${x.toFixed(2)} s`);
  return e.ci95 > 0 ? `${f(e.mean)} ± ${f(e.ci95).replace(/ (s|%)$/, '')}` : f(e.mean);
}

const ROWS = 40;

export function planSection(p: Plan, labels: readonly string[], candidates: readonly string[]): string {
  const label = (c: PlanCell) => labels[candidates.indexOf(c.candidate)] ?? c.candidate;
  const rec = p.best
    ? `<p><b>Recommendation:</b> ${escapeHtml(label(p.best))} — ${escapeHtml(money(p.best, p.basis))}<br><span class="how">${escapeHtml(p.best.candidate)}; ${escapeHtml(p.slos.map((s) => `${s.text}: ${value(p.best!, s)}`).join(', '))}</span></p>`
    : '<p><b>No configuration in the search space meets every objective.</b> The table shows what each one breaks.</p>';
  const options = (p.best ? [...p.rejected, p.best] : p.rejected).slice(0, ROWS);
  const rows = options.map((c) => {
    const b = brokenObjectives(p.slos, c);
    const verdict = b.length ? b.map((s) => `breaks ${s.text} (${value(c, s)})`).join('; ') : 'meets every objective';
    return `<tr${c === p.best ? ' style="font-weight:bold"' : ''}><td class="left">${escapeHtml(label(c))}</td><td>${escapeHtml(money(c, p.basis))}</td><td class="left">${escapeHtml(verdict)}</td></tr>`;
  });
  const more = (p.best ? p.rejected.length + 1 : p.rejected.length) - options.length;
  return `<section id="plan"><h2>Capacity plan</h2>
${objectivesLine(p)}
${rec}
<h3>${p.best ? 'Cheaper options, and every objective each breaks' : 'Options, cheapest first, and every objective each breaks'}</h3>
<div class="scroll"><table><thead><tr><th>configuration</th><th>price</th><th class="left">verdict</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>${more > 0 ? `<p class="how">… and ${more} more (cells.csv has every configuration).</p>` : ''}
<details><summary>The plan as printed (plan.txt)</summary><pre>${escapeHtml(planText(p))}</pre></details>
</section>`;
}

/** Cost against p95, one point per priced configuration; frontier points numbered, keyed under the chart; the legend is never cut. */
export function labelledFrontierChart(p: Plan): Chart {
  const frontier = p.frontier.filter((c) => costOf(c) !== null && Number.isFinite(c.estimates.latency_p95_s?.mean ?? NaN));
  const { labels } = numberPoints(frontier.map((c) => ({ x: costOf(c)!, y: c.estimates.latency_p95_s!.mean })));
  const num = new Map(frontier.map((c, i) => [c.candidate, labels[i]!]));
  const verdicts: string[] = [];
  const values = p.cells.filter((c) => costOf(c) !== null && Number.isFinite(c.estimates.latency_p95_s?.mean ?? NaN)).map((c) => {
    const b = brokenObjectives(p.slos, c);
    const verdict = b.length === 0 ? 'meets every objective' : `breaks ${b.map((s) => s.text).join(' and ')}`;
    if (!verdicts.includes(verdict)) verdicts.push(verdict);
    return { candidate: c.candidate, price: costOf(c), p95: c.estimates.latency_p95_s!.mean, verdict, label: num.get(c.candidate) ?? '' };
  });
  verdicts.sort((a, b) => (a === 'meets every objective' ? -1 : b === 'meets every objective' ? 1 : a.localeCompare(b)));
  const range = verdicts.map((v, i) => (v === 'meets every objective' ? '#2ca02c' : colourAt(i + 3)));
  return {
    id: 'frontier', title: 'Cost against p95 latency',
    howToRead: 'One point per configuration: its price against its p95 latency, coloured by the objectives it breaks. The line joins the frontier — configurations no cheaper one beats on p95 — and its points are numbered (key below). The recommendation is the cheapest point that meets every objective.',
    key: frontier.map((c, i) => ({ label: String(i + 1), name: `${c.candidate} — ${money(c, p.basis)}, p95 ${c.estimates.latency_p95_s!.mean.toFixed(2)} s` })),
    spec: base('Cost against p95 latency', {
      width: WIDTH, height: 320, data: { values },
      layer: [
        { transform: [{ filter: 'datum.label != ""' }], mark: { type: 'line', color: '#888' }, encoding: { x: { field: 'price', type: 'quantitative' }, y: { field: 'p95', type: 'quantitative' } } },
        { mark: { type: 'point', filled: true, size: 70 }, encoding: {
          x: { field: 'price', type: 'quantitative', title: p.basis === 'hour' ? 'price ($ per hour)' : p.cells.some((c) => (c as Cell).ownership) ? 'cost of owning ($ per month)' : 'price ($ to buy)' },
          y: { field: 'p95', type: 'quantitative', title: 'p95 latency (s)' },
          color: { field: 'verdict', type: 'nominal', title: null, scale: { domain: verdicts, range }, legend: { orient: 'bottom', direction: 'vertical', columns: 1 } },
          tooltip: [{ field: 'candidate' }, { field: 'price' }, { field: 'p95' }] } },
        { mark: { type: 'text', dx: 7, dy: -7, align: 'left', fontSize: 11 }, encoding: { x: { field: 'price', type: 'quantitative' }, y: { field: 'p95', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    }),
  };
}
