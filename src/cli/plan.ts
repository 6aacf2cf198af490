import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Axis } from '../config/grid.js';
import { InputError, msg } from '../diag/index.js';
import { GPUS, gpuById } from '../hardware/gpus.js';
import { loadScenario } from '../io/load-scenario.js';
import { renderCharts } from '../io/report-files.js';
import { writeSweep } from '../io/sweep-outputs.js';
import { estimate } from '../plan/confidence.js';
import { plan } from '../plan/plan.js';
import { broken, parseSlo, SLO_NAMES, type Slo } from '../plan/slo.js';
import { frontierChart, planText } from '../report/plan.js';
import { runScenario } from '../sim/run-scenario.js';
import { scaleTrace } from '../workload/scale.js';
import { progressBar } from './progress.js';
import { runSweep } from './sweep-pool.js';

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
  queue?: string;
  /** false with --no-png. */
  png?: boolean;
}

const line = (field: string, m: [string, string?]) => new InputError({ file: '(command line)', line: 1, field, problem: m[0], hint: m[1] });

/** `ollamasim plan SCENARIO --slo 'p95<=3s' …`: the cheapest fleet that meets the objectives, or --max-rate. */
export async function planCommand(file: string, opts: PlanOptions): Promise<void> {
  const slos = (opts.slo ?? []).map((t) => parseSlo(t) ?? (() => { throw line('--slo', [`"${t}" is not an objective`, `e.g. p95<=3s, ttft_p99<=10s, failures<=0.1%; figures: ${SLO_NAMES.join(', ')}`]); })());
  if (slos.length === 0) throw line('--slo', msg.missing());
  if (opts.maxRate) return maxRate(file, slos);
  const gpus = (opts.gpus ?? GPUS.filter((g) => !g.unified).map((g) => g.id).join(',')).split(',').map((g) => g.trim());
  for (const g of gpus) if (!gpuById(g)) throw line('--gpus', msg.unknownCatalogue('GPU', g, GPUS.map((x) => x.id)));
  const maxGpus = Number(opts.maxGpus ?? 2);
  const axes: Axis[] = [
    { key: 'host.gpu', values: gpus },
    { key: 'host.count', values: Array.from({ length: maxGpus }, (_, i) => i + 1) },
  ];
  if (opts.hosts) axes.push({ key: 'fleet.hosts', values: opts.hosts.split(',').map(Number) });
  if (opts.keepAlive) axes.push({ key: 'OLLAMA_KEEP_ALIVE', values: opts.keepAlive.split(',').map((v) => (/^-?\d+$/.test(v) ? Number(v) : v)) });
  const basis = opts.price === 'buy' ? 'buy' : 'hour';
  const overrides = new Map((opts.priceOf ?? []).map((p) => { const [id, v] = p.split('='); return [id!, Number(v)] as const; }));
  const priceOf = (v: Record<string, string>) => {
    const g = gpuById(v['host.gpu'] ?? '');
    const unit = overrides.get(v['host.gpu'] ?? '') ?? (basis === 'hour' ? g?.pricePerHour : g?.priceToBuy);
    return unit === undefined ? null : unit * Number(v['host.count'] ?? 1) * Number(v['fleet.hosts'] ?? 1);
  };
  const bar = progressBar('planning', 0);
  let result;
  try {
    result = await runSweep(file, {
      axes, replications: Number(opts.replications ?? 1), ...(opts.jobs ? { jobs: Number(opts.jobs) } : {}), ...(opts.queue ? { queue: opts.queue } : {}),
      onProgress: (d, t) => bar.update(d, t),
      // Stop replicating a configuration once every objective's interval is clear of its limit.
      decided: (est) => settled(slos, est),
    });
  } finally {
    bar.stop();
  }
  const p = plan(result, slos, basis, priceOf);
  if (opts.out) {
    writeSweep(opts.out, result);
    writeFileSync(join(opts.out, 'plan.txt'), planText(p));
    const { warning } = await renderCharts(opts.out, [frontierChart(p)], { png: opts.png !== false });
    if (warning) process.stderr.write(`warning: ${warning}\n`);
  }
  process.stdout.write(opts.json ? JSON.stringify({ best: p.best, frontier: p.frontier, rejected: p.rejected.map((c) => ({ candidate: c.candidate, price: c.price, broken: c.broken?.text ?? null })) }, null, 2) + '\n' : planText(p));
}

/** Met by every interval's upper end, or broken by some interval's lower end: more replications would not change the verdict. */
function settled(slos: Slo[], est: Record<string, { mean: number; ci95: number }>): boolean {
  if (slos.some((s) => { const e = est[s.figure]; return !!e && e.mean - e.ci95 > s.limit; })) return true;
  return slos.every((s) => { const e = est[s.figure]; return !!e && e.mean + e.ci95 <= s.limit; });
}

/** The highest rate scale (× today's traffic) at which the scenario's first candidate still meets the objectives. */
async function maxRate(file: string, slos: Slo[]): Promise<void> {
  const sc = await loadScenario(file);
  const meets = (k: number) => {
    const [r] = runScenario({ ...sc, trace: scaleTrace(sc.trace, k, sc.seed), candidates: [sc.candidates[0]!] });
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
  while (hi < 1024 && meets(hi)) { lo = hi; hi *= 2; }
  for (let i = 0; i < 10; i++) { const mid = Math.sqrt(lo * hi); if (meets(mid)) lo = mid; else hi = mid; }
  process.stdout.write(`${sc.candidates[0]!.name}: holds ${lo.toFixed(2)}× today's traffic within ${slos.map((s) => s.text).join(', ')}\n`);
}
