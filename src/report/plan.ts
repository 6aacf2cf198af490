import type { Plan } from '../plan/plan.js';

type Cell = Plan['cells'][number];

const dollars = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;
/** A cell's cost as the plan ranks it: per hour rented, per month owned, or (no ownership figures) to buy. */
const money = (c: Cell, basis: string) =>
  c.cost === null ? 'no price' : basis === 'hour' ? `$${c.cost.toFixed(2)}/h` : c.ownership ? `${dollars(c.cost)}/mo` : dollars(c.cost);
const secs = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(2)} s`);

/** `ollamasim plan`: the recommendation, why cheaper options fail, and the frontier (its chart: plan-section.ts). */
export function planText(p: Plan): string {
  const lines: string[] = [...confidenceLines(p), ''];
  if (p.best) {
    lines.push(`Cheapest configuration that meets them: ${p.best.candidate} — ${money(p.best, p.basis)}`);
    lines.push(`  p95 ${secs(p.best.estimates.latency_p95_s?.mean)}, failures ${((p.best.estimates.failure_share?.mean ?? 0) * 100).toFixed(2)} %, cold ${((p.best.estimates.cold_share?.mean ?? 0) * 100).toFixed(1)} %`);
    if (p.best.ownership) lines.push(...ownershipLines(p.best));
  } else {
    lines.push(...unmetLines(p));
  }
  if (p.rejected.length) {
    lines.push('', p.best ? 'Cheaper options and the objectives each broke:' : 'Options, cheapest first, and the objectives each broke:');
    for (const c of p.rejected.slice(0, 20)) {
      const why = c.brokenAll.length ? `broke ${c.brokenAll.map((s) => `${s.text} (${figure(c, s.figure)})`).join(', ')}` : 'meets them';
      lines.push(`  ${money(c, p.basis).padEnd(10)} ${c.candidate}: ${why}`);
    }
    if (p.rejected.length > 20) lines.push(`  … and ${p.rejected.length - 20} more (cells.csv has all)`);
  }
  const owned = p.cells.filter((c) => c.ownership);
  if (owned.length) {
    lines.push('', 'Owning each option, per month (purchase spread over the months + power), against renting it:');
    for (const c of owned.slice(0, 20)) {
      const o = c.ownership!;
      const rent = o.rentMonthly === null ? 'no hourly price to compare' : `rent ${dollars(o.rentMonthly)}/mo, ${o.breakEvenMonth === null ? 'buying never pays off' : `break-even month ${o.breakEvenMonth}`}`;
      lines.push(`  ${`${dollars(o.monthly)}/mo`.padEnd(10)} ${c.candidate}: buy ${dollars(o.purchase)}, power ${dollars(o.powerMonthly)}/mo (${(o.watts / 1000).toFixed(2)} kW mean); ${rent}`);
    }
    if (owned.length > 20) lines.push(`  … and ${owned.length - 20} more (cells.csv has all)`);
  }
  lines.push('', 'Cost/latency frontier (no cheaper-or-equal option has a lower p95):');
  for (const c of p.frontier) lines.push(`  ${money(c, p.basis).padEnd(10)} p95 ${secs(c.estimates.latency_p95_s?.mean).padEnd(9)} ${c.candidate}${c.broken ? '' : '  ✓'}`);
  return lines.join('\n') + '\n';
}

/** What the verdicts rest on, in words: never "95 % confidence" for a single deterministic run. */
function confidenceLines(p: Plan): string[] {
  const objectives = p.slos.map((s) => s.text).join(', ');
  const c = p.confidence;
  if (c.kind === 'interval') {
    return [`Objectives (met with 95 % confidence: the upper end of each figure's 95 % interval within the limit; up to ${c.replications} replications): ${objectives}`];
  }
  const why = c.kind === 'one-run'
    ? `one replication (seed ${c.seed}), so no confidence interval; where the scenario draws at random (synthetic traffic, users, a random router, a rate scale), --replications N gives one`
    : `its ${c.replications} replications gave identical figures: nothing in this scenario is drawn at random, so there is no interval to give`;
  return [`Objectives: ${objectives}`, `Each verdict comes from one deterministic run per configuration: ${why}.`];
}

function ownershipLines(c: Cell): string[] {
  const o = c.ownership!;
  const busy = c.estimates.gpu_busy_share?.mean;
  const out = [`  bought: ${dollars(o.purchase)} over ${o.months} months + power ${dollars(o.powerMonthly)}/mo (${(o.watts / 1000).toFixed(2)} kW mean${busy === undefined ? '' : `, GPUs busy ${(busy * 100).toFixed(0)} % of the time`}) = ${dollars(o.monthly)}/mo`];
  if (o.rentMonthly === null) out.push('  renting: the catalogue has no hourly price for this GPU (--price-of to compare)');
  else out.push(`  renting the same: ${dollars(o.rentMonthly)}/mo — ${o.breakEvenMonth === null ? 'buying never pays off (power alone costs as much)' : `buying has cost less by the end of month ${o.breakEvenMonth}`}`);
  return out;
}

/** Nothing meets every objective: for each, how close the search came and, for latency, the floor the work itself sets. */
function unmetLines(p: Plan): string[] {
  const n = p.cells.length;
  const out = ['No configuration in the search space meets every objective:'];
  for (const u of p.unmet) {
    let line = `  ${u.slo.text}: met by ${u.metBy === 0 ? 'none' : u.metBy} of ${n}`;
    if (u.metBy === 0 && u.closest) line += `; the closest is ${u.closest.candidate} at ${value(u.slo.figure, u.closest.value)}`;
    out.push(line);
    if (u.metBy === 0 && u.floor && u.floor.value > u.slo.limit) {
      const q = /p\d\d/.exec(u.slo.figure)![0];
      out.push(`    The work itself takes ${q} ${secs(u.floor.value)} on the fastest configuration considered (${u.floor.candidate}):`,
        `    ${u.slo.text} cannot be met by hardware of these speeds; try ttft_${q} (the wait before the answer starts) or a faster GPU.`);
    } else if (u.metBy === 0) {
      out.push('    Try more GPUs or hosts (--max-gpus, --hosts), other GPU types (--gpus), or more parallel slots (OLLAMA_NUM_PARALLEL in the scenario\'s sweep:).');
    }
  }
  if (p.unmet.every((u) => u.metBy > 0)) out.push('  Each objective is met by some configuration, but none meets them all together.');
  return out;
}

function value(name: string, v: number): string {
  return name.endsWith('share') ? `${(v * 100).toFixed(2)} %` : `${v.toFixed(2)} s`;
}

/** A figure with its interval only when there is one (several runs that vary): never "± 0.00". */
function figure(c: Cell, name: string): string {
  const e = c.estimates[name];
  if (!e || Number.isNaN(e.mean)) return 'no successful request';
  const ci = e.n >= 2 && e.ci95 > 0 ? (name.endsWith('share') ? ` ± ${(e.ci95 * 100).toFixed(2)}` : ` ± ${e.ci95.toFixed(2)}`) : '';
  return `${value(name, e.mean)}${ci}`;
}
