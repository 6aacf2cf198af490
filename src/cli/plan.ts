import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Axis } from '../config/grid.js';
import type { ResolvedCandidate } from '../config/types.js';
import { msg } from '../diag/index.js';
import { MAX_REQUESTS } from '../config/ranges.js';
import { ARG_RANGES, argError, maxRequestsArg, numberArg, numberListArg } from './args.js';
import { checkGridValues } from '../config/grid-check.js';
import { GPUS, gpuById, HOST_BASE_WATTS } from '../hardware/gpus.js';
import { loadScenario } from '../io/load-scenario.js';
import { writeSweepReport } from '../io/report-files.js';
import { topOption } from './run.js';
import { writeSweep } from '../io/sweep-outputs.js';
import { estimate } from '../plan/confidence.js';
import { ownership, type OwnershipOptions } from '../plan/ownership.js';
import { axisValues, plan, type OwnershipOf, type Plan, type PlanCell } from '../plan/plan.js';
import { broken, parseSlo, SLO_NAMES, type Slo } from '../plan/slo.js';
import type { SweepResult } from '../plan/sweep.js';
import { planText } from '../report/plan.js';
import { runScenario } from '../sim/run-scenario.js';
import { SweepSession } from './sweep-session.js';

export interface PlanOptions {
  slo?: string[];
  gpus?: string;
  maxGpus?: string;
  hosts?: string;
  keepAlive?: string;
  price?: string;
  priceOf?: string[];
  months?: string;
  kwh?: string;
  hostWatts?: string;
  replications?: string;
  jobs?: string;
  maxRate?: boolean;
  config?: string;
  out?: string;
  json?: boolean;
  maxRequests?: string;
  resume?: boolean;
  queue?: string;
  /** false with --no-png. */
  png?: boolean;
  top?: string;
}

const line = argError;

/** `ollamasim plan SCENARIO --slo 'p95<=3s' …`: the cheapest fleet that meets the objectives, or --max-rate. */
export async function planCommand(file: string, opts: PlanOptions): Promise<void> {
  const slos = parseSlos(opts);
  if (opts.maxRate) return maxRate(file, slos, opts);
  if (opts.config !== undefined) throw line('--config', msg.configWithoutMaxRate());
  const top = topOption(opts.top);
  const axes = planAxes(opts);
  const session = new SweepSession(file, { out: opts.out, resume: opts.resume, label: 'planning', key: { axes, maxRequests: opts.maxRequests ?? null } });
  let p;
  let text = '';
  let warnings: string[] = [];
  try {
    const made = await planIn(session, file, slos, opts, axes);
    p = made.p;
    warnings = made.result.warnings;
    // What the answer leaves out (e.g. a GPU type that changes only memory and load times) goes with it.
    text = planText(p) + warnings.map((w) => `\nNote: ${w}\n`).join('');
    if (session.out) {
      writeSweep(session.out.path, made.result, planColumns(p, warnings));
      writeFileSync(join(session.out.path, 'plan.txt'), text);
      const warning = await writeSweepReport(session.out.path, made.result, readFileSync(file, 'utf8'), { plan: p, top, png: opts.png !== false });
      if (warning) process.stderr.write(`warning: ${warning}\n`);
      session.commit('plan');
    }
  } finally {
    session.close();
  }
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(opts.json ? JSON.stringify(planJson(p, warnings), null, 2) + '\n' : text);
}

export function parseSlos(opts: PlanOptions): Slo[] {
  const slos = (opts.slo ?? []).map((t) => parseSlo(t) ?? (() => { throw line('--slo', [`"${t}" is not an objective`, `e.g. p95<=3s, ttft_p99<=10s, failures<=0.1%; figures: ${SLO_NAMES.join(', ')}`]); })());
  if (slos.length === 0) throw line('--slo', msg.missing());
  return slos;
}

/** The search space of `plan`: GPU type × GPUs per host (× hosts × keep_alive when asked). */
function planAxes(opts: PlanOptions): Axis[] {
  const gpus = (opts.gpus ?? GPUS.filter((g) => !g.unified).map((g) => g.id).join(',')).split(',').map((g) => g.trim());
  for (const g of gpus) if (!gpuById(g)) throw line('--gpus', msg.unknownCatalogue('GPU', g, GPUS.map((x) => x.id)));
  const maxGpus = numberArg(opts.maxGpus ?? '2', '--max-gpus', ARG_RANGES.gpus);
  const axes: Axis[] = [
    { key: 'host.gpu', values: gpus },
    { key: 'host.count', values: Array.from({ length: maxGpus }, (_, i) => i + 1) },
  ];
  if (opts.hosts) axes.push({ key: 'fleet.hosts', values: numberListArg(opts.hosts, '--hosts', ARG_RANGES.hosts) });
  if (opts.keepAlive) axes.push({ key: 'OLLAMA_KEEP_ALIVE', values: opts.keepAlive.split(',').map((v) => (/^-?\d+$/.test(v) ? Number(v) : v)) });
  checkGridValues(axes, (key) => (key === 'OLLAMA_KEEP_ALIVE' ? '--keep-alive' : `--grid ${key}`));
  return axes;
}

/** Pricing: per hour rented, or (buy) the cost per month of owning — purchase over --months plus power. */
function pricing(opts: PlanOptions) {
  if (opts.price !== undefined && opts.price !== 'hour' && opts.price !== 'buy') throw line('--price', msg.badPriceBasis(opts.price));
  const basis = opts.price === 'buy' ? 'buy' : 'hour';
  if (basis !== 'buy') for (const [flag, v] of [['--months', opts.months], ['--kwh', opts.kwh], ['--host-watts', opts.hostWatts]] as const) if (v !== undefined) throw line(flag, msg.onlyWhenBuying(flag));
  const own: OwnershipOptions = {
    months: numberArg(opts.months ?? '36', '--months', ARG_RANGES.months),
    kwh: numberArg(opts.kwh ?? '0.15', '--kwh', ARG_RANGES.kwh),
    hostWatts: numberArg(opts.hostWatts ?? String(HOST_BASE_WATTS), '--host-watts', ARG_RANGES.watts),
  };
  const overrides = new Map((opts.priceOf ?? []).map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw line('--price-of', [`"${p}" is not ID=PRICE`, 'e.g. --price-of rtx-4090=1.2']);
    const id = p.slice(0, eq);
    if (!gpuById(id)) throw line('--price-of', msg.unknownCatalogue('GPU', id, GPUS.map((x) => x.id)));
    return [id, numberArg(p.slice(eq + 1), '--price-of', ARG_RANGES.price)] as const;
  }));
  const count = (v: Record<string, string>) => Number(v['host.count'] ?? 1) * Number(v['fleet.hosts'] ?? 1);
  const priceOf = (v: Record<string, string>) => {
    const g = gpuById(v['host.gpu'] ?? '');
    const unit = overrides.get(v['host.gpu'] ?? '') ?? (basis === 'hour' ? g?.pricePerHour : g?.priceToBuy);
    return unit === undefined ? null : unit * count(v);
  };
  const ownershipOf: OwnershipOf = (v, est) => {
    const gpu = gpuById(v['host.gpu'] ?? '');
    if (!gpu) return null;
    const buyEach = overrides.get(gpu.id) ?? gpu.priceToBuy;
    if (buyEach === undefined) return null;
    return ownership({
      gpu, gpusPerHost: Number(v['host.count'] ?? 1), hosts: Number(v['fleet.hosts'] ?? 1),
      busyShare: est.gpu_busy_share?.mean ?? 1, buyEach, rentEach: gpu.pricePerHour,
    }, own);
  };
  return { basis: basis as 'hour' | 'buy', priceOf, ownershipOf: basis === 'buy' ? ownershipOf : undefined };
}

/** Sweeps the search space and plans on it in a session (the command's, with --out and --resume). */
async function planIn(session: SweepSession, file: string, slos: Slo[], opts: PlanOptions, axes: Axis[]): Promise<{ p: Plan; result: SweepResult }> {
  const { basis, priceOf, ownershipOf } = pricing(opts);
  const replications = numberArg(opts.replications ?? '1', '--replications', ARG_RANGES.replications);
  const jobs = opts.jobs ? { jobs: numberArg(opts.jobs, '--jobs', ARG_RANGES.jobs) } : {};
  const result = await session.run({
    axes, replications, ...jobs, ...maxRequestsArg(opts.maxRequests), ...(opts.queue ? { queue: opts.queue } : {}),
    // Stop replicating a configuration once every objective's interval is clear of its limit.
    decided: (est) => settled(slos, est),
  });
  return { p: plan(result, slos, basis, priceOf, ownershipOf), result };
}

/** What `plan` answers, without writing anything: for --max-rate's recommendation and for tests that run plan itself. */
export async function makePlan(file: string, slos: Slo[], opts: PlanOptions): Promise<{ p: Plan; result: SweepResult }> {
  const axes = planAxes(opts);
  const session = new SweepSession(file, { label: 'planning', key: { axes, maxRequests: opts.maxRequests ?? null } });
  try {
    return await planIn(session, file, slos, opts, axes);
  } finally {
    session.close();
  }
}

/** The plan as --json prints it: the recommendation, the frontier, every cheaper option with all it broke, and the scenario's warnings. */
export function planJson(p: Plan, warnings: readonly string[] = []) {
  return {
    best: p.best, frontier: p.frontier,
    rejected: p.rejected.map((c) => ({ candidate: c.candidate, price: c.price, broken: c.broken?.text ?? null, broken_all: c.brokenAll.map((s) => s.text), cost: c.cost, ...(c.ownership ? { ownership: c.ownership } : {}) })),
    confidence: p.confidence,
    unmet: p.unmet.map((u) => ({ objective: u.slo.text, met_by: u.metBy, closest: u.closest, floor: u.floor })),
    warnings,
  };
}

/** Columns the plan adds to cells.csv (after the sweep's own) and its section of summary.json. */
function planColumns(p: Plan, warnings: readonly string[]) {
  const byName = new Map<string, PlanCell>(p.cells.map((c) => [c.candidate, c]));
  const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  return {
    columns: ['price', 'cost', 'meets', 'broken', 'monthly', 'purchase', 'power_monthly', 'watts', 'rent_monthly', 'break_even_month'],
    row: (candidate: string) => {
      const c = byName.get(candidate);
      const o = c?.ownership;
      return c ? [num(c.price), num(c.cost), c.broken ? '0' : '1', c.brokenAll.map((s) => s.text).join('; '),
        num(o?.monthly), num(o?.purchase), num(o?.powerMonthly), num(o?.watts), num(o?.rentMonthly), num(o?.breakEvenMonth)] : [];
    },
    summary: { plan: planJson(p, warnings) },
  };
}

/** Met by every interval's upper end, or broken by some interval's lower end: more replications would not change the verdict. */
function settled(slos: Slo[], est: Record<string, { mean: number; ci95: number }>): boolean {
  if (slos.some((s) => { const e = est[s.figure]; return !!e && e.mean - e.ci95 > s.limit; })) return true;
  return slos.every((s) => { const e = est[s.figure]; return !!e && e.mean + e.ci95 <= s.limit; });
}

/**
 * The highest rate scale (× today's traffic) at which one configuration still
 * meets the objectives: the one named with --config (axis values such as
 * "host.gpu=l4, host.count=2", or a candidate of the scenario), else the plan's
 * recommendation. Each rate is one deterministic run.
 */
async function maxRate(file: string, slos: Slo[], opts: PlanOptions): Promise<void> {
  const { maxRequests = MAX_REQUESTS } = maxRequestsArg(opts.maxRequests);
  const target = opts.config ? await namedConfig(file, opts.config, maxRequests) : await recommended(file, slos, opts, maxRequests);
  if (!target) {
    if (opts.json) {
      process.stdout.write(JSON.stringify({ configuration: null, objectives: slos.map((s) => s.text), max_rate: null, runs_per_rate: 1 }, null, 2) + '\n');
      return;
    }
    process.stdout.write(`No configuration in the search space meets ${slos.map((s) => s.text).join(', ')} at today's traffic; name one with --config to see how much of it it holds.\n`);
    return;
  }
  const { sc, c } = target;
  const k = maxRateOf(sc, c, slos, maxRequests);
  const within = slos.map((s) => s.text).join(', ');
  if (opts.json) {
    process.stdout.write(JSON.stringify({ configuration: c.name, objectives: slos.map((s) => s.text), max_rate: Math.round(k * 1000) / 1000, runs_per_rate: 1 }, null, 2) + '\n');
    return;
  }
  process.stdout.write(k < 1
    ? `${c.name}: does not meet ${within} at today's traffic; it holds ${k.toFixed(2)}× of it (one deterministic run per rate)\n`
    : `${c.name}: holds ${k.toFixed(2)}× today's traffic within ${within} (one deterministic run per rate)\n`);
}

/** Bisection on the rate scale (geometric), one run per rate: the largest scale that meets the objectives. */
export function maxRateOf(sc: Awaited<ReturnType<typeof loadScenario>>, c: ResolvedCandidate, slos: Slo[], maxRequests = MAX_REQUESTS): number {
  const meets = (k: number) => {
    // The rate is the candidate's, so its world scales the trace (src/sim/world.ts) like a rate_scale axis would.
    const [r] = runScenario({ ...sc, candidates: [{ ...c, rateScale: k * (c.rateScale ?? 1) }] });
    const estimates = Object.fromEntries(Object.entries(r!.summary).filter(([, v]) => typeof v === 'number').map(([key, v]) => [key, estimate([v as number])]));
    for (const [model, m] of Object.entries(r!.summary.models)) {
      for (const [key, v] of Object.entries(m)) if (typeof v === 'number') estimates[`models.${model}.${key}`] = estimate([v]);
    }
    return broken(slos, estimates) === null;
  };
  let lo: number;
  let hi: number;
  if (!meets(1)) {
    lo = 1 / 64;
    hi = 1;
  } else {
    lo = 1;
    hi = 2;
    // Never past the request limit: a scaled trace is made in memory.
    while (hi < 1024 && sc.trace.length * hi * 2 <= maxRequests && meets(hi)) { lo = hi; hi *= 2; }
  }
  for (let i = 0; i < 10; i++) { const mid = Math.sqrt(lo * hi); if (meets(mid)) lo = mid; else hi = mid; }
  return lo;
}

async function recommended(file: string, slos: Slo[], opts: PlanOptions, maxRequests: number) {
  const { p } = await makePlan(file, slos, opts);
  return p.best ? namedConfig(file, p.best.candidate, maxRequests) : null;
}

/** "host.gpu=l4, host.count=2" (optionally "CANDIDATE | …") applied to the scenario, or one of its candidates by name. */
async function namedConfig(file: string, name: string, maxRequests: number) {
  const values = axisValues(name);
  const axes: Axis[] = Object.entries(values).map(([key, v]) => ({ key, values: [/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v) ? Number(v) : v] }));
  checkGridValues(axes, () => '--config');
  const sc = await loadScenario(file, { axes, maxRequests });
  const prefix = name.includes(' | ') ? name.slice(0, name.lastIndexOf(' | ')) : null;
  const c = axes.length === 0
    ? sc.candidates.find((x) => x.name === name)
    : sc.candidates.find((x) => prefix === null || x.name.startsWith(`${prefix} | `)) ;
  if (!c) throw line('--config', msg.unknownCatalogue('configuration', name, sc.candidates.map((x) => x.name)));
  return { sc, c };
}
