import type { ResolvedCandidate, ResolvedScenario } from '../config/types.js';
import { EventKind, type EventSink, Reason } from '../events/index.js';
import type { CandidateSummary } from '../metrics/index.js';
import { quantileSorted } from '../metrics/quantile.js';
import { runScenario } from '../sim/run-scenario.js';

/* The advisor's runs (advise.ts): the candidate as it is, grid points, ways to deploy. */

/** One way to deploy the advice, proved by a run. */
export interface Option {
  deployment: 'server' | 'client' | 'mixed';
  values: number[]; // per model, s; NaN = the server's value
  server: number | null;
  summary: CandidateSummary;
  resurrected: Set<number>; // models whose runner a client's keep_alive resurrected
  /** 0: what the per-model search chose (client-sent, or server-wide when uniform); 1: mixed; 2: the server-wide search's value. */
  preference: number;
}

/** Runs candidates over the scenario's workload, counting runs for the progress bar. */
export class Runs {
  private done = 0;
  constructor(
    private readonly sc: ResolvedScenario,
    private readonly base: ResolvedCandidate,
    private readonly planned: number,
    private readonly progress?: (done: number, total: number) => void,
  ) {}

  run(candidates: ResolvedCandidate[], events?: (candidate: string) => EventSink | null): { summary: CandidateSummary }[] {
    const out = runScenario({ ...this.sc, candidates }, events ? { events } : {});
    this.done += candidates.length;
    this.progress?.(Math.min(this.done, this.planned), this.planned);
    return out;
  }

  /** The candidate as it is: per model, requests and idle gaps of what really ran. */
  observe(): { models: { requests: number; p50: number; p99: number }[]; summary: CandidateSummary } {
    const spans = this.sc.modelNames.map(() => [] as [number, number][]);
    const [run] = runScenario({ ...this.sc, candidates: [this.base] }, {
      requests: () => ({
        done: (r) => spans[r.model]!.push([r.firstArrival, Number.isNaN(r.end) ? r.firstArrival : r.end]),
      }),
    });
    this.done++;
    const models = spans.map((s) => {
      s.sort((a, b) => a[0] - b[0]);
      const gaps: number[] = [];
      let lastEnd = NaN;
      for (const [at, end] of s) {
        if (!Number.isNaN(lastEnd)) gaps.push(Math.max(0, at - lastEnd) / 1e6);
        lastEnd = Number.isNaN(lastEnd) ? end : Math.max(lastEnd, end);
      }
      const sorted = Float64Array.from(gaps).sort();
      return {
        requests: s.length,
        p50: round(sorted.length ? quantileSorted(sorted, 0.5) : 0),
        p99: round(sorted.length ? quantileSorted(sorted, 0.99) : 0),
      };
    });
    return { models, summary: run!.summary };
  }

  /** One way to deploy, proved by a run that also notes which models' runners were resurrected. */
  option(deployment: Option['deployment'], c: ResolvedCandidate, values: number[], server: number | null, preference: number): Option {
    const resurrected = new Set<number>();
    const models = this.sc.modelNames.length;
    const sink: EventSink = {
      event: (_t, kind, model, _r, reason) => {
        if (kind === EventKind.hang_start && reason === Reason.resurrection) resurrected.add(model % models);
      },
    };
    const [r] = this.run([c], () => sink);
    return { deployment, values, server, summary: r!.summary, resurrected, preference };
  }
}

/** Every model at one server-wide OLLAMA_KEEP_ALIVE; clients send none. */
export function serverWide(base: ResolvedCandidate, name: string, ka: number): ResolvedCandidate {
  return { ...base, name, server: { ...base.server, OLLAMA_KEEP_ALIVE: ka < 0 ? '-1' : `${ka}s` }, models: base.models.map((m) => ({ ...m, keepAlive: NaN })) };
}

/** Clients send a keep_alive per model (NaN: none, the server's value applies), optionally with a server-wide value. */
export function perModel(base: ResolvedCandidate, name: string, values: number[], server: number | null): ResolvedCandidate {
  return {
    ...base, name,
    server: server === null ? base.server : { ...base.server, OLLAMA_KEEP_ALIVE: server < 0 ? '-1' : `${server}s` },
    models: base.models.map((m, i) => ({ ...m, keepAlive: Number.isNaN(values[i]!) ? NaN : values[i]! < 0 ? Infinity : values[i]! * 1e6 })),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
