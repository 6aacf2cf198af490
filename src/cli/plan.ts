import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Axis } from '../config/grid.js';
import { msg } from '../diag/index.js';
import { MAX_REQUESTS } from '../config/ranges.js';
import { ARG_RANGES, argError, maxRequestsArg, numberArg, numberListArg } from './args.js';
import { checkGridValues } from '../config/grid-check.js';
import { GPUS, gpuById } from '../hardware/gpus.js';
import { loadScenario } from '../io/load-scenario.js';
import { writeSweepReport } from '../io/report-files.js';
import { topOption } from './run.js';
import { writeSweep } from '../io/sweep-outputs.js';
import { estimate } from '../plan/confidence.js';
import { plan } from '../plan/plan.js';
import { broken, parseSlo, SLO_NAMES, type Slo } from '../plan/slo.js';
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
  replications?: string;
  jobs?: string;
  maxRate?: boolean;
  out?: string;
  json?: boolean;
  maxRequests?: string;
  resume?: boolean;
  queue?: string;
  top?: string;
  /** false with --no-png. */
  png?: boolean;
}

const line = argError;

/** `ollamasim plan SCENARIO --slo 'p95<=3s' …`: the cheapest fleet that meets the objectives, or --max-rate. */
export async function planCommand(file: string, opts: PlanOptions): Promise<void> {
  const slos = (opts.slo ?? []).map((t) => parseSlo(t) ?? (() => { throw line('--slo', [`"${t}" is not an objective`, `e.g. p95<=3s, ttft_p99<=10s, failures<=0.1%; figures: ${SLO_NAMES.join(', ')}`]); })());
  if (slos.length === 0) throw line('--slo', msg.missing());
  const limit = maxRequestsArg(opts.maxRequests);
  const top = topOption(opts.top);
  if (opts.maxRate) return maxRate(file, slos, limit.maxRequests);
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
  if (opts.price !== undefined && opts.price !== 'hour' && opts.price !== 'buy') throw line('--price', [`"${opts.price}" is not a price basis`, 'hour (rent) or buy']);
  const basis = opts.price === 'buy' ? 'buy' : 'hour';
  const overrides = new Map((opts.priceOf ?? []).map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw line('--price-of', [`"${p}" is not ID=PRICE`, 'e.g. --price-of rtx-4090=1.2']);
    const id = p.slice(0, eq);
    if (!gpuById(id)) throw line('--price-of', msg.unknownCatalogue('GPU', id, GPUS.map((x) => x.id)));
    return [id, numberArg(p.slice(eq + 1), '--price-of', ARG_RANGES.price)] as const;
  }));
  const priceOf = (v: Record<string, string>) => {
    const g = gpuById(v['host.gpu'] ?? '');
    const unit = overrides.get(v['host.gpu'] ?? '') ?? (basis === 'hour' ? g?.pricePerHour : g?.priceToBuy);
    return unit === undefined ? null : unit * Number(v['host.count'] ?? 1) * Number(v['fleet.hosts'] ?? 1);
  };
  const replications = numberArg(opts.replications ?? '1', '--replications', ARG_RANGES.replications);
  const jobs = opts.jobs ? { jobs: numberArg(opts.jobs, '--jobs', ARG_RANGES.jobs) } : {};
  const session = new SweepSession(file, { out: opts.out, resume: opts.resume, label: 'planning', key: { axes, maxRequests: opts.maxRequests ?? null } });
  let p;
  let text = '';
  let warnings: string[] = [];
  try {
    const result = await session.run({
      axes, replications, ...jobs, ...limit, ...(opts.queue ? { queue: opts.queue } : {}),
      // Stop replicating a configuration once every objective's interval is clear of its limit.
      decided: (est) => settled(slos, est),
    });
    p = plan(result, slos, basis, priceOf);
    warnings = result.warnings;
    // What the answer leaves out (e.g. a GPU type that changes only memory and load times) goes with it.
    text = planText(p) + warnings.map((w) => `\nNote: ${w}\n`).join('');
    if (session.out) {
      writeSweep(session.out.path, result);
      writeFileSync(join(session.out.path, 'plan.txt'), text);
      const warning = await writeSweepReport(session.out.path, result, readFileSync(file, 'utf8'), { plan: p, top, png: opts.png !== false });
      if (warning) process.stderr.write(`warning: ${warning}\n`);
      session.commit('plan');
    }
  } finally {
    session.close();
  }
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(opts.json
    ? JSON.stringify({ best: p.best, frontier: p.frontier, rejected: p.rejected.map((c) => ({ candidate: c.candidate, price: c.price, broken: c.broken?.text ?? null })), warnings }, null, 2) + '\n'
    : text);
}

/** Met by every interval's upper end, or broken by some interval's lower end: more replications would not change the verdict. */
function settled(slos: Slo[], est: Record<string, { mean: number; ci95: number }>): boolean {
  if (slos.some((s) => { const e = est[s.figure]; return !!e && e.mean - e.ci95 > s.limit; })) return true;
  return slos.every((s) => { const e = est[s.figure]; return !!e && e.mean + e.ci95 <= s.limit; });
}

/** The highest rate scale (× today's traffic) at which the scenario's first candidate still meets the objectives. */
async function maxRate(file: string, slos: Slo[], maxRequests = MAX_REQUESTS): Promise<void> {
  const sc = await loadScenario(file, { maxRequests });
  const meets = (k: number) => {
    // The rate is the candidate's, so its world scales the trace (src/sim/world.ts) like a rate_scale axis would.
    const c = sc.candidates[0]!;
    const [r] = runScenario({ ...sc, candidates: [{ ...c, rateScale: k * (c.rateScale ?? 1) }] });
    const estimates = Object.fromEntries(Object.entries(r!.summary).filter(([, v]) => typeof v === 'number').map(([key, v]) => [key, estimate([v as number])]));
    return broken(slos, estimates) === null;
  };
  if (!meets(1)) {
    let lo = 1 / 64;
    let hi = 1;
    for (let i = 0; i < 10; i++) { const mid = Math.sqrt(lo * hi); if (meets(mid)) lo = mid; else hi = mid; }
    process.stdout.write(`${sc.candidates[0]!.name}: does not meet ${slos.map((s) => s.text).join(', ')} at today's traffic; it holds ${lo.toFixed(2)}× of it\n`);
    return;
  }
  let lo = 1;
  let hi = 2;
  // Never past the request limit: a scaled trace is made in memory.
  while (hi < 1024 && sc.trace.length * hi * 2 <= maxRequests && meets(hi)) { lo = hi; hi *= 2; }
  for (let i = 0; i < 10; i++) { const mid = Math.sqrt(lo * hi); if (meets(mid)) lo = mid; else hi = mid; }
  process.stdout.write(`${sc.candidates[0]!.name}: holds ${lo.toFixed(2)}× today's traffic within ${slos.map((s) => s.text).join(', ')}\n`);
}
