import type { ResolvedCandidate, ResolvedScenario } from '../config/types.js';
import type { CandidateSummary } from '../metrics/index.js';
import { type Option, perModel, Runs, serverWide } from './advise-runs.js';
import { choose, type CurvePoint } from './keep-alive-curve.js';

/**
 * The keep-alive advisor (issue #12). It reads the traffic the workload really
 * makes — a run of the scenario's first candidate, so closed-loop users and
 * synthetic traffic count as much as a trace — and then, per model, searches a
 * grid of keep_alive values by replay for the least idle-resident GiB·h whose
 * cold-start share meets the target (keep-alive-curve.ts). It weighs three
 * ways to deploy it — one server-wide OLLAMA_KEEP_ALIVE, values clients send
 * per model, or both — checks each for the resurrection hang that client-sent
 * values can trigger (spec §4.3.4, §6.2 #18, ollama#17408), and keeps only
 * what is no worse than the best of 5m, -1 and 0 on p95, failures and stuck
 * requests. If nothing is, it recommends that baseline and says why.
 */
export interface ModelAdvice {
  model: string;
  /** Requests the observed run made for it. */
  requests: number;
  /** Idle gaps in the observed run (a request's end → the model's next arrival), s. */
  gap_p50_s: number;
  gap_p99_s: number;
  /** Recommended keep_alive, s: 0 = unload at once, -1 = forever. */
  keep_alive: number;
  /** Who sets it: the server's OLLAMA_KEEP_ALIVE, or clients sending it with each request. */
  sent_by: 'server' | 'client';
  /** What the recommendation gives this model in its proof run. */
  cold_share: number;
  idle_gib_hours: number;
  /** @deprecated use gap_p50_s */
  gapP50: number;
  /** @deprecated use gap_p99_s */
  gapP99: number;
  /** @deprecated use keep_alive */
  keepAlive: number;
  /** @deprecated use cold_share */
  coldShare: number;
}

export interface Advice {
  /** The candidate whose run the gaps and outcomes come from, and that run's summary. */
  observed: string;
  observed_summary: CandidateSummary;
  models: ModelAdvice[];
  /** `server`: set OLLAMA_KEEP_ALIVE; `client`: clients send per model; `mixed`: both; `baseline`: 5m, -1 or 0. */
  deployment: 'server' | 'client' | 'mixed' | 'baseline';
  /** OLLAMA_KEEP_ALIVE to set, s (-1 = forever), when the deployment uses it. */
  server_keep_alive: number | null;
  /** The cold-share target: given, or the knee's — of the total curve for the server-wide search's value; null when each model met its own knee. */
  cold_target: number | null;
  cold_target_source: 'given' | 'knee';
  /** keep_alive values searched, s (-1 = forever). */
  grid_s: number[];
  /** What the per-model search chose, per model, s (-1 = forever), before deployment was weighed. */
  per_model_keep_alive: Record<string, number>;
  /** What the server-wide search chose, s (-1 = forever). */
  server_wide_keep_alive: number;
  /** Why this and not the alternatives, one sentence each. */
  reasons: string[];
  /** Pathologies the per-model client-sent values cause on this traffic (empty = none). */
  client_sent_pathologies: CandidateSummary['pathologies'];
  /** The recommendation first, then the alternatives weighed, then 5m, -1 and 0. */
  comparison: CandidateSummary[];
}

export interface AdviseOptions {
  /** Cold-start share to meet (0–1); default null = the knee of each curve. */
  coldTarget?: number | null;
  /** keep_alive values to search, s (-1 = forever); default GRID_S. */
  grid?: readonly number[];
  /** Runs done of the runs planned (a progress bar). */
  progress?: (done: number, total: number) => void;
}

/** The default search grid: 0 to 2 h and forever, finer where keep_alives usually matter. */
export const GRID_S: readonly number[] = [0, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, -1];

/** p95 may be this much worse than the baseline's and still count as no worse (run-to-run grain). */
export const P95_TOLERANCE = 0.05;

const BASELINES: readonly [string, number][] = [['keep 5m', 300], ['keep forever', -1], ['unload at once', 0]];

export function advise(sc: ResolvedScenario, opts: AdviseOptions = {}): Advice {
  const grid = opts.grid ?? GRID_S;
  const target = opts.coldTarget ?? null;
  const base = sc.candidates[0]!;
  const names = sc.modelNames;
  const runs = new Runs(sc, base, (names.length + 2) * grid.length + 6, opts.progress);

  // 1. The traffic the workload really makes: gaps and requests from a run of the candidate as it is.
  const observed = runs.observe();
  // 2. One server-wide value for every model (clients send none): the grid, replayed.
  const sweep = runs.run(grid.map((g) => serverWide(base, `OLLAMA_KEEP_ALIVE=${text(g)}`, g))).map((r) => r.summary);
  const serverChoice = choose(sweep.map((s, i) => ({ keepAlive: grid[i]!, idle: s.idle_resident_gib_hours, cold: s.cold_share ?? 0 })), target);
  const serverValue = grid[serverChoice.index]!;
  // 3. Per model, values clients send.
  const values = searchPerModel(runs, base, names, grid, sweep, observed.models.map((o) => o.requests > 0), target);
  // 4. The ways to deploy them, each proved by a run, and the baselines.
  const options = deploymentOptions(runs, base, names, values, serverValue);
  const baselines = runs.run(BASELINES.map(([name, ka]) => serverWide(base, name, ka))).map((r) => r.summary);
  // 5. The first option in order of preference that is hang-free and admissible; else the best baseline.
  const { chosen, reasons } = decide(options, baselines, names, target);
  let recommended = chosen?.summary;
  let deployment: Advice['deployment'] = chosen?.deployment ?? 'baseline';
  let finalValues = chosen?.values ?? [];
  let server = chosen?.server ?? null;
  if (!recommended) {
    const t = target ?? serverChoice.target;
    recommended = bestBaseline(baselines, t);
    const ka = BASELINES[baselines.indexOf(recommended)]![1];
    reasons.push(`Nothing searched is no worse than ${recommended.candidate} (the best of 5m, -1 and 0 at cold share ≤ ${pct(t)}), so that is the advice.`);
    deployment = 'baseline';
    finalValues = names.map(() => ka);
    server = ka;
  }
  const client = options.find((o) => o.deployment === 'client');
  return {
    observed: base.name, observed_summary: observed.summary,
    models: modelRows(names, observed.models, recommended, deployment, finalValues, server),
    deployment, server_keep_alive: server,
    // Without --cold, per-model values each met their own knee's target (null here); one server-wide value, the total curve's.
    cold_target: target ?? (chosen && chosen.preference < 2 ? null : serverChoice.target),
    cold_target_source: target === null ? 'knee' : 'given',
    grid_s: [...grid], per_model_keep_alive: Object.fromEntries(names.map((n, m) => [n, values[m]!])),
    server_wide_keep_alive: serverValue, reasons, client_sent_pathologies: client?.summary.pathologies ?? [],
    comparison: [recommended, ...options.map((o) => o.summary).filter((s) => s !== recommended), ...baselines.filter((s) => s !== recommended)],
  };
}

/**
 * Per model, values clients send: start from each model's best point of the
 * server-wide sweep, then replay the grid for one model at a time with the
 * others at their current choice. Values whose run hangs on a resurrected
 * runner are left out; if every value hangs, the model keeps its server-wide
 * curve's choice (and the proof shows the hang).
 */
function searchPerModel(
  runs: Runs, base: ResolvedCandidate, names: readonly string[], grid: readonly number[],
  sweep: CandidateSummary[], active: boolean[], target: number | null,
): number[] {
  const values = names.map((name, m) => (active[m] ? grid[choose(modelCurve(sweep, name, grid), target).index]! : 0));
  names.forEach((name, m) => {
    if (!active[m]) return;
    const replayed = runs.run(grid.map((g) => perModel(base, `${name}=${text(g)}`, values.map((v, k) => (k === m ? g : v)), null))).map((r) => r.summary);
    const curve = modelCurve(replayed, name, grid).filter((_, i) => !hangs(replayed[i]!));
    if (curve.length) values[m] = curve[choose(curve, target).index]!.keepAlive;
  });
  return values;
}

/**
 * The ways to deploy: the server-wide search's value; the per-model values —
 * server-wide when they are all equal (no client's keep_alive can then
 * resurrect a runner), else sent by clients; and if those hang, values that
 * avoid it (clients of a resurrected model send nothing, the server's value
 * applies to it), dropping models until no runner is resurrected.
 */
function deploymentOptions(runs: Runs, base: ResolvedCandidate, names: readonly string[], values: number[], serverValue: number): Option[] {
  const serverName = (ka: number) => `advised server-wide (OLLAMA_KEEP_ALIVE=${text(ka)})`;
  const options = [runs.option('server', serverWide(base, serverName(serverValue), serverValue), names.map(() => serverValue), serverValue, 2)];
  if (values.every((v) => v === values[0])) {
    if (values[0] === serverValue) options[0]!.preference = 0;
    else options.push(runs.option('server', serverWide(base, serverName(values[0]!), values[0]!), values, values[0]!, 0));
    return options;
  }
  const client = runs.option('client', perModel(base, 'advised per model (clients send)', values, null), values, null, 0);
  options.push(client);
  let mixed = client;
  for (let round = 0; round < names.length && mixed.resurrected.size > 0; round++) {
    const sent = mixed.values.map((v, m) => (mixed.resurrected.has(m) ? NaN : v));
    if (sent.every(Number.isNaN)) break;
    mixed = runs.option('mixed', perModel(base, `advised mixed (OLLAMA_KEEP_ALIVE=${text(serverValue)}, clients send the rest)`, sent, serverValue), sent, serverValue, 1);
  }
  if (mixed !== client) options.push(mixed);
  return options;
}

/** The first option, by preference, that no client's keep_alive hangs and that is admissible; a reason for each other. */
function decide(options: Option[], baselines: CandidateSummary[], names: readonly string[], target: number | null): { chosen: Option | null; reasons: string[] } {
  const reasons: string[] = [];
  let chosen: Option | null = null;
  for (const o of [...options].sort((a, b) => a.preference - b.preference)) {
    const label = `${o.summary.candidate}${sentText(o, names)}`;
    const hang = o.summary.pathologies.find((p) => p.kind === 'resurrection');
    if (chosen) {
      reasons.push(`${label}: not weighed further; ${chosen.summary.candidate} comes first (per-model values, then values that avoid a hang, then the server-wide search's value).`);
    } else if (hang && o.deployment !== 'server') {
      reasons.push(`${label}: clients' keep_alive resurrects runners the scheduler is evicting — the resurrection hang (${hang.issue}): ${hang.requests} requests held, ${fmt(hang.wait_s)} s of waiting (${resurrectedNames(o, names)}).`);
    } else {
      const verdict = admissible(o.summary, baselines, target);
      if (verdict.ok) chosen = o;
      else reasons.push(`${label}: not admissible — ${verdict.why}.`);
    }
  }
  return { chosen, reasons };
}

function modelRows(
  names: readonly string[], observed: { requests: number; p50: number; p99: number }[], recommended: CandidateSummary,
  deployment: Advice['deployment'], values: number[], server: number | null,
): ModelAdvice[] {
  return names.map((model, m) => {
    const figures = recommended.models[model];
    const o = observed[m]!;
    const sent = !Number.isNaN(values[m]!) && (deployment === 'client' || deployment === 'mixed');
    const keep = Number.isNaN(values[m]!) ? server! : values[m]!;
    const cold = round(figures?.cold_share ?? 0);
    return {
      model, requests: o.requests, gap_p50_s: o.p50, gap_p99_s: o.p99, keep_alive: keep, sent_by: sent ? 'client' : 'server',
      cold_share: cold, idle_gib_hours: round(figures?.idle_resident_gib_hours ?? 0),
      gapP50: o.p50, gapP99: o.p99, keepAlive: keep, coldShare: cold,
    };
  });
}

function modelCurve(runs: CandidateSummary[], model: string, grid: readonly number[]): CurvePoint[] {
  return runs.map((s, i) => {
    const m = s.models[model]!;
    return { keepAlive: grid[i]!, idle: m.idle_resident_gib_hours, cold: m.cold_share ?? (m.requests > 0 ? 1 : 0) };
  });
}

/**
 * Admissible: no worse than the best of 5m, -1 and 0 that meets the cold
 * target (the given one, else the option's own cold share) on p95 (within
 * P95_TOLERANCE), failures (503, 400, 500, 499) and stuck requests; with a
 * given target, it must meet it too.
 */
export function admissible(c: CandidateSummary, baselines: CandidateSummary[], given: number | null): { ok: boolean; why: string; against: CandidateSummary } {
  const target = given ?? c.cold_share ?? 0;
  const b = bestBaseline(baselines, target);
  const why: string[] = [];
  if (given !== null && (c.cold_share ?? 0) > given + 1e-9) why.push(`cold share ${pct(c.cold_share ?? 0)} misses the target ${pct(given)}`);
  const p95 = c.latency_p95_s ?? Infinity;
  const bp95 = b.latency_p95_s ?? Infinity;
  if (p95 > bp95 * (1 + P95_TOLERANCE)) why.push(`p95 ${fmt(p95)} s against ${fmt(bp95)} s for ${b.candidate}`);
  if (failures(c) > failures(b)) why.push(`${failures(c)} failed requests against ${failures(b)} for ${b.candidate}`);
  if (c.stuck > b.stuck) why.push(`${c.stuck} stuck requests against ${b.stuck} for ${b.candidate}`);
  return { ok: why.length === 0, why: why.join('; '), against: b };
}

/**
 * The best of the baselines by the optimiser's own objective: among those
 * whose cold share meets the target, the least idle GiB·h (what the optimiser
 * would pick if 5m, -1 and 0 were all it had); if none meets it, the coldest.
 */
export function bestBaseline(baselines: CandidateSummary[], target: number): CandidateSummary {
  const meets = baselines.filter((b) => (b.cold_share ?? 0) <= target + 1e-9);
  if (meets.length === 0) return [...baselines].sort((a, b) => (a.cold_share ?? 0) - (b.cold_share ?? 0) || a.idle_resident_gib_hours - b.idle_resident_gib_hours)[0]!;
  return meets.reduce((a, b) => (b.idle_resident_gib_hours < a.idle_resident_gib_hours ? b : a));
}

const hangs = (s: CandidateSummary) => s.pathologies.some((p) => p.kind === 'resurrection');
const failures = (s: CandidateSummary) => s.rejected_503 + s.rejected_400 + s.failed_500 + s.cancelled;

/** ` (llama3.1:8b 2m, qwen2.5:14b 17m)`: what clients send in an option, if anything. */
function sentText(o: Option, names: readonly string[]): string {
  if (o.deployment === 'server') return '';
  const sent = o.values.flatMap((v, m) => (Number.isNaN(v) ? [] : [`${names[m]} ${text(v)}`]));
  return sent.length ? ` (${sent.join(', ')})` : '';
}

function resurrectedNames(o: Option, names: readonly string[]): string {
  const list = [...o.resurrected].sort((a, b) => a - b).map((m) => names[m]!);
  return list.length ? `runners of ${list.join(', ')}` : 'no runner named';
}

/** keep_alive in Ollama's words: 0, 30s, 5m, 2h, -1 (forever). */
export function text(ka: number): string {
  if (ka < 0) return '-1';
  if (ka === 0) return '0';
  if (ka % 3600 === 0) return `${ka / 3600}h`;
  if (ka % 60 === 0) return `${ka / 60}m`;
  return `${ka}s`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const fmt = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 100) / 100));

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
