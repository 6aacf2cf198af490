/**
 * Issue "Reports for real traces and real design reviews": top N models and
 * "other", colours fixed by `models:` position, candidate order, time units,
 * labels that never overprint, coinciding series named, pathologies rendered,
 * the HTML table with every CLI column, the plan section.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { writeReport } from '../../src/io/report-files.js';
import { toSvg } from '../../src/io/render-charts.js';
import type { CandidateSummary } from '../../src/metrics/index.js';
import { estimate } from '../../src/plan/confidence.js';
import type { Plan, PlanCell } from '../../src/plan/plan.js';
import { broken, parseSlo } from '../../src/plan/slo.js';
import { cdfChart, type ChartInput, coincident, numberPoints, occupancyChart, offeredLoadChart, residencyChart } from '../../src/report/charts.js';
import { comparisonHtml, reportHtml } from '../../src/report/html.js';
import { shortLabel, shortLabels } from '../../src/report/labels.js';
import { pathologyWarnings } from '../../src/report/pathologies.js';
import { labelledFrontierChart, planSection } from '../../src/report/plan-section.js';
import { CAPACITY_COLOUR, colourAt, OTHER, scaleFor, timeUnit } from '../../src/report/style.js';
import { comparisonTable, COLUMNS } from '../../src/report/table.js';
import { chromeTrace } from '../../src/report/timeline.js';
import { reportView, topModels } from '../../src/report/view.js';
import { runScenario } from '../../src/sim/run-scenario.js';

const summary = (candidate: string, models: Record<string, number>, extra: Partial<CandidateSummary> = {}): CandidateSummary => ({
  candidate, requests: 10, ok: 10, rejected_503: 1, rejected_400: 2, failed_500: 0, cancelled: 0, stuck: 0,
  latency_p50_s: 1, latency_p95_s: 2, latency_p99_s: 3, latency_mean_s: 1, latency_max_s: 3, cold_starts: 1, cold_share: 0.1,
  loads: 1, load_failures: 0, evictions: 0, reloads: 0, expiries: 0, unloads: 0, vram_mean_gib: 1, vram_peak_gib: 2,
  resident_gib_hours: 1, idle_resident_gib_hours: 1, window_s: 1, failed_load: 0, failed_restart: 0, failed_runtime_oom: 0,
  retries: 0, eviction_order: 'ollama', ttft_p50_s: 1, ttft_p95_s: 1, ttft_p99_s: 1, failure_share: 0, loads_per_hour: 1,
  failed_load_oom: 0, failed_load_timeout: 0, load_ooms: 0, pathologies: [], ollama_version: '0.32.15', ollama_era: 'E3',
  service_p50_s: 1, service_p95_s: 1, service_p99_s: 1, busy_share: 0, gpu_busy_share: 0,
  models: Object.fromEntries(Object.entries(models).map(([m, gibh]) => [m, { resident_gib_hours: gibh, requests: 1, latency_p95_s: gibh } as never])),
  ...extra,
});

describe('top models and "other"', () => {
  const names = Array.from({ length: 12 }, (_, i) => `m${i}`);
  const gibh = Object.fromEntries(names.map((m, i) => [m, i]));

  test('the top N by resident GiB·h over all candidates, in models: order; the rest are "other"', () => {
    expect(topModels([summary('a', gibh)], names, 3)).toEqual(['m9', 'm10', 'm11']);
    const v = reportView({ summaries: [summary('a', gibh)], models: names, top: 3, spanUs: 3600e6, capacityBytes: [24 * 2 ** 30] });
    expect(v.series).toEqual(['m9', 'm10', 'm11', OTHER]);
    expect(v.folded).toBe(9);
  });

  test('more resident memory moves a model into the top (and another out)', () => {
    const more = { ...gibh, m0: 100 };
    expect(topModels([summary('a', more)], names, 3)).toEqual(['m0', 'm10', 'm11']);
    // Summed over candidates: a model big in one candidate only still counts.
    expect(topModels([summary('a', gibh), summary('b', { m1: 30 })], names, 1)).toEqual(['m1']);
  });

  test('no "other" when every model fits', () => {
    const v = reportView({ summaries: [summary('a', gibh)], models: names, top: 20, spanUs: 1, capacityBytes: [1] });
    expect(v.series).toEqual(names);
    expect(v.folded).toBe(0);
  });
});

describe('style', () => {
  test('a model keeps its colour from its models: position whatever else is shown; "other" is grey; no series is the capacity red', () => {
    const order = ['a', 'b', 'c', 'd'];
    const one = scaleFor(['b', 'd'], order, colourAt, 'grey');
    const two = scaleFor(['a', 'b', 'c', OTHER], order, colourAt, 'grey');
    expect(one.range[0]).toBe(colourAt(1));
    expect(two.range[1]).toBe(colourAt(1));
    expect(two.range[3]).toBe('grey');
    for (let i = 0; i < 40; i++) expect(colourAt(i)).not.toBe(CAPACITY_COLOUR);
  });

  test('with more models than colours, two shown models never share one', () => {
    const order = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const s = scaleFor(['m1', 'm17', 'm33'], order, colourAt, 'grey');
    expect(new Set(s.range).size).toBe(3);
    expect(s.range[0]).toBe(colourAt(1));
  });

  test('time axes take their unit from the span', () => {
    expect(timeUnit(30e6).name).toBe('s');
    expect(timeUnit(90 * 60e6).name).toBe('min');
    expect(timeUnit(24 * 3600e6).name).toBe('h');
    expect(timeUnit(21 * 86400e6).name).toBe('days');
  });

  test('short axis labels for sweep cells, full names when two would collide', () => {
    expect(shortLabel('OLLAMA_NUM_PARALLEL=1, OLLAMA_KEEP_ALIVE=5m')).toBe('parallel 1 · keep 5m');
    expect(shortLabel('keep 5m | host.gpu=l4, host.count=2, fleet.hosts=1')).toBe('keep 5m · l4 · 2 GPUs · 1 host');
    expect(shortLabel('models.llama3.1:8b.keep_alive=10m, rate_scale=2')).toBe('llama3.1:8b keep 10m · ×2 load');
    expect(shortLabel('keep 5m')).toBe('keep 5m');
    expect(shortLabels(['OLLAMA_KEEP_ALIVE=1', 'server.OLLAMA_KEEP_ALIVE=1'])).toEqual(['OLLAMA_KEEP_ALIVE=1', 'server.OLLAMA_KEEP_ALIVE=1']);
  });
});

describe('labels that never overprint, series that coincide', () => {
  test('points within a few % of each other share one label; the others are numbered alone', () => {
    const { labels, coincide } = numberPoints([{ x: 0, y: 95 }, { x: 0.5, y: 95.2 }, { x: 200, y: 13 }, { x: 360, y: 10 }]);
    expect(labels).toEqual(['1, 2', '', '3', '4']);
    expect(coincide).toEqual([[0, 1]]);
    // Move one point away: it gets its own label.
    expect(numberPoints([{ x: 0, y: 95 }, { x: 100, y: 50 }]).labels).toEqual(['1', '2']);
  });

  test('identical curves are named in the how to read; different ones are not', () => {
    expect(coincident([{ name: 'a', values: [1, 2] }, { name: 'b', values: [1, 2] }, { name: 'c', values: [1, 3] }])).toEqual([['a', 'b']]);
    // Linear axis: 22.9 vs 21.5 next to 2,900 is the same pixel; on a log axis 0.5 vs 1 is not.
    expect(coincident([{ name: '5m', values: [22.965, 699.6] }, { name: '-1', values: [21.5, 699.6] }, { name: '0', values: [23.9, 2904] }], true)).toEqual([['5m', '-1']]);
    expect(coincident([{ name: 'a', values: [0.5, 2000] }, { name: 'b', values: [1, 2000] }])).toEqual([]);
    const run = (candidate: string, cdf: number[]) => ({ candidate, latencyCdf: cdf }) as ChartInput;
    expect(cdfChart([run('5m', [1, 2]), run('-1', [1, 2])], { candidates: ['5m', '-1'] }).howToRead).toContain('"5m" and "-1" coincide');
    expect(cdfChart([run('5m', [1, 2]), run('-1', [1, 4])], { candidates: ['5m', '-1'] }).howToRead).not.toContain('coincide');
  });

  test('offered load: log rate axis, dash and shape per setting, coinciding settings named', async () => {
    const pts = [1, 2, 4].flatMap((rate) => ['5m', '-1', '0'].map((setting) => ({ setting, rate, p95: setting === '0' ? rate * 3 : rate, failures: 0 })));
    const c = offeredLoadChart(pts);
    const panel = (c.spec.hconcat as { encoding: Record<string, { scale?: { type?: string } }> }[])[0]!;
    expect(panel.encoding.x!.scale!.type).toBe('log');
    expect(panel.encoding.strokeDash).toBeDefined();
    expect(panel.encoding.shape).toBeDefined();
    expect(c.howToRead).toContain('"5m" and "-1" coincide');
    expect(await toSvg(c.spec)).toMatch(/<svg/);
  });
});

const WORLD = `name: world
host: { gpus: [ { vram: 24GiB } ] }
models:
${Array.from({ length: 12 }, (_, i) => `  m${i}: { vram: ${2 + (i % 5)}GiB, load: 2s }`).join('\n')}
workload:
  synthetic:
    length: 3h
    zipf: { models: [${Array.from({ length: 12 }, (_, i) => `m${i}`).join(', ')}], rate: 300/h, duration: 5 }
candidates:
  - { name: keep 30m, server: { OLLAMA_KEEP_ALIVE: 30m } }
  - { name: keep 5m, server: { OLLAMA_KEEP_ALIVE: 5m } }
`;

describe('charts of a many-model run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-real-'));
  writeFileSync(join(dir, 's.yaml'), WORLD);
  const sc = await loadScenario(join(dir, 's.yaml'));
  const results = runScenario(sc, { series: true });
  const runs: ChartInput[] = results.map((r) => ({ candidate: r.summary.candidate, summary: r.summary, occupancy: r.occupancy!, keyNames: r.keyNames!, latencyCdf: r.latencyCdf! }));
  const view = reportView({ summaries: results.map((r) => r.summary), models: sc.modelNames, top: 4, spanUs: runs[0]!.occupancy.width * runs[0]!.occupancy.buckets, capacityBytes: [24 * 2 ** 30, 24 * 2 ** 30] });

  test('VRAM: top 4 and "other" stacked, adding up to the same memory; facets in candidate order; capacity per facet', () => {
    const c = occupancyChart(runs, view);
    const values = (c.spec.data as { values: { candidate: string; model: string; gib: number; t: number; cap?: number }[] }).values;
    expect(new Set(values.map((v) => v.model))).toEqual(new Set([...view.shown, OTHER]));
    const o = runs[0]!.occupancy;
    const b = 100;
    let all = 0;
    for (let k = 0; k < o.keys; k++) all += o.bytes[b * o.keys + k]!;
    const folded = values.filter((v) => v.candidate === 'keep 30m' && v.t === values.filter((x) => x.candidate === 'keep 30m' && x.model === OTHER)[b]!.t).reduce((a, v) => a + v.gib, 0);
    expect(folded).toBeCloseTo(all / 2 ** 30, 2);
    expect((c.spec.facet as { row: { sort: string[] } }).row.sort).toEqual(['keep 30m', 'keep 5m']);
    expect(values.filter((v) => v.cap !== undefined).map((v) => v.cap)).toEqual([24, 24]);
    expect(c.howToRead).toContain('unload window');
    expect(values.length).toBe(2 * o.buckets * 5); // bounded: buckets × (top + other) × candidates
  });

  test('memory other processes hold: a grey line at what is left, only for the candidates that have it', () => {
    const held = reportView({ summaries: results.map((r) => r.summary), models: sc.modelNames, top: 4, spanUs: 1, capacityBytes: [24 * 2 ** 30, 24 * 2 ** 30], reservedBytes: [2 * 2 ** 30, 0] });
    const c = occupancyChart(runs, held);
    const values = (c.spec.data as { values: { candidate: string; usable?: number }[] }).values;
    expect(values.filter((v) => v.usable !== undefined).map((v) => [v.candidate, v.usable])).toEqual([['keep 30m', 22]]);
    expect(c.howToRead).toContain('grey line');
    expect(occupancyChart(runs, view).howToRead).not.toContain('grey line');
  });

  test('residency: one row per shown model plus "other", runs of equal state merged, short', () => {
    const c = residencyChart(runs, view);
    const values = (c.spec.data as { values: { model: string; from: number; to: number }[] }).values;
    expect(new Set(values.map((v) => v.model))).toEqual(new Set([...view.shown, OTHER]));
    expect(values.length).toBeLessThan(2 * 5 * runs[0]!.occupancy.buckets);
    expect((c.spec.spec as { height: number }).height).toBeLessThanOrEqual(160);
  });

  test('hang spans: a "scheduler stalled" row in residency and a thread in timeline.json', () => {
    const hung = runs.map((r, i) => (i === 0 ? { ...r, hangs: [{ kind: 'resurrection', from: 3600e6, to: 5400e6 }] } : r));
    const c = residencyChart(hung, view);
    const values = (c.spec.data as { values: { model: string; state: string; from: number; to: number }[] }).values;
    expect(values.filter((v) => v.state === 'resurrection')).toEqual([expect.objectContaining({ model: 'scheduler stalled', from: 1, to: 1.5 })]);
    expect(c.howToRead).toContain('resurrection');
    // A hang that outlasts the chart ends with it.
    const endless = runs.map((r, i) => (i === 0 ? { ...r, hangs: [{ kind: 'resurrection', from: 3600e6, to: 99 * 3600e6 }] } : r));
    const clipped = (residencyChart(endless, view).spec.data as { values: { state: string; to: number }[] }).values.filter((v) => v.state === 'resurrection');
    const o = runs[0]!.occupancy;
    expect(clipped).toHaveLength(1);
    expect(clipped[0]!.to).toBeCloseTo((o.buckets * o.width) / 3600e6, 3);
    const trace = chromeTrace(hung);
    expect(trace.traceEvents).toContainEqual(expect.objectContaining({ name: 'resurrection', ph: 'X', ts: 3600e6, dur: 1800e6 }));
  });

  test('--top bounds the report; the page is written with every chart', async () => {
    const out = join(dir, 'out');
    await writeReport(out, sc, results, WORLD, { top: 3 });
    const svg = readFileSync(join(out, 'charts', 'vram.svg'), 'utf8');
    expect(svg).toContain('other');
    expect(svg.match(/>m\d+</g)?.length ?? 0).toBeLessThanOrEqual(3 * 2); // legend entries (and nothing else names a model)
  });
});

describe('the table and the pathologies', () => {
  const hung = summary('keep 2m per model', {}, { latency_p95_s: 10055, pathologies: [{ kind: 'resurrection', requests: 312, wait_s: 36000, issue: 'ollama#17408' }] });
  const fine = summary('keep 5m', {});

  test('the HTML table has every column of the CLI table, 400s included', () => {
    const html = comparisonHtml([fine]);
    for (const c of COLUMNS.filter((c) => !c.when)) expect(html).toContain(`>${c.title}</th>`);
    // A conditional column of the CLI table appears in both when it says something.
    const oom = summary('oom', {}, { load_ooms: 2 });
    expect(comparisonTable([oom])).toContain('OOM loads');
    expect(comparisonHtml([oom])).toContain('>OOM loads</th>');
    expect(html).toContain('<th>400</th>');
    expect(html).not.toContain('pathology');
  });

  test('a candidate that hit the resurrection hang is flagged in both tables, warned about, and has a section with its counts', () => {
    expect(comparisonTable([hung, fine])).toMatch(/pathology\n/);
    expect(comparisonTable([hung, fine])).toContain('resurrection hang (ollama#17408)');
    expect(comparisonHtml([hung, fine])).toContain('resurrection hang (ollama#17408)');
    expect(pathologyWarnings([hung, fine])).toEqual([expect.stringMatching(/^keep 2m per model: resurrection hang \(ollama#17408\): 312 requests waited on it, 10\.0 h in all/)]);
    const page = reportHtml('t', [hung, fine], [], '', { warnings: pathologyWarnings([hung, fine]) });
    expect(page).toContain('<h2>Scheduler pathologies</h2>');
    expect(page).toMatch(/<td>keep 2m per model<\/td><td class="left">resurrection hang<\/td><td class="left">ollama#17408<\/td><td>312<\/td><td>10\.0 h<\/td>/);
    expect(reportHtml('t', [fine], [], '')).not.toContain('Scheduler pathologies');
  });

  test('a sweep table shows rounded means with ± half-widths', () => {
    const mean = summary('c', {}, { ok: 1484.3333333, latency_p95_s: 26.7512 });
    const half = summary('c', {}, { ok: 2.25, latency_p95_s: 0.4, cold_share: 0, rejected_503: 0, rejected_400: 0 });
    const html = comparisonHtml([mean], { intervals: [half] });
    expect(html).toContain('1484 <span class="pm">± 2.3</span>');
    expect(html).toContain('26.8 <span class="pm">± 0.40</span>');
  });
});

describe('the plan section', () => {
  const slos = [parseSlo('p95<=30s')!, parseSlo('failures<=1%')!];
  const cell = (candidate: string, price: number, p95: number, failures: number): PlanCell => ({
    candidate, values: {}, price, cost: price, broken: null, brokenAll: slos.filter((s) => broken([s], { latency_p95_s: estimate([p95]), failure_share: estimate([failures]) }) !== null),
    estimates: { latency_p95_s: estimate([p95]), failure_share: estimate([failures]) },
  });
  const cheap = cell('host.gpu=l4, host.count=1', 0.5, 60, 0.05);
  const mid = cell('host.gpu=rtx-4090, host.count=1', 0.7, 20, 0);
  const p: Plan = { slos, basis: 'hour', cells: [cheap, mid], best: mid, frontier: [cheap, mid], rejected: [cheap], confidence: { kind: 'one-run', seed: 1, replications: 1 }, unmet: [] };

  test('the recommendation and every objective each cheaper option breaks', () => {
    const html = planSection(p, ['l4 · 1 GPU', 'rtx-4090 · 1 GPU'], [cheap.candidate, mid.candidate]);
    expect(html).toContain('Recommendation:</b> rtx-4090 · 1 GPU — $0.70/h');
    expect(html).toContain('breaks p95&lt;=30s (60.00 s); breaks failures&lt;=1% (5.00 %)');
  });

  test('the frontier chart numbers its points, keys them, and never cuts its legend', async () => {
    const c = labelledFrontierChart(p);
    expect(c.key).toEqual([{ label: '1', name: expect.stringContaining('l4') }, { label: '2', name: expect.stringContaining('rtx-4090') }]);
    const svg = await toSvg(c.spec);
    expect(svg).toContain('breaks p95&lt;=30s and failures&lt;=1%');
    expect(svg).not.toContain('…');
  });
});

describe('fleets', () => {
  test('memory per GPU of every host, and the VRAM chart against the fleet\'s total capacity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-fleet-'));
    const yaml = `
host: { gpus: [ { vram: 24GiB } ] }
fleet: { hosts: 2, router: round-robin }
models: { a: { vram: 10GiB, load: 1s }, b: { vram: 12GiB, load: 1s } }
workload: { requests: [ { at: 0, model: a, duration: 100, keep_alive: -1 }, { at: 1, model: b, duration: 100, keep_alive: -1 }, { at: 3600, model: a, duration: 1 } ] }
`;
    writeFileSync(join(dir, 's.yaml'), yaml);
    const sc = await loadScenario(join(dir, 's.yaml'));
    const results = runScenario(sc, { series: true });
    const g = results[0]!.gpuMemory!;
    expect([g.gpus, g.hosts]).toEqual([2, 2]);
    const last = g.buckets - 1;
    // Round robin: a on host 1, b on host 2, each on its host's only GPU.
    expect([g.bytes[last * 2]! / 2 ** 30, g.bytes[last * 2 + 1]! / 2 ** 30]).toEqual([10, 12]);
    await writeReport(join(dir, 'out'), sc, results, yaml);
    const gpus = readFileSync(join(dir, 'out', 'charts', 'gpus.svg'), 'utf8');
    expect(gpus).toContain('host1 GPU0');
    expect(gpus).toContain('host2 GPU0');
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('the red line is the fleet&#39;s capacity (all 2 hosts together)');
    expect(readFileSync(join(dir, 'out', 'charts', 'vram.svg'), 'utf8')).toMatch(/aria-label="[^"]*48/); // the 48 GiB line
  });
});

describe('the sweep report', () => {
  test('over-time charts of replication 1 for every cell when few, else the 2 best and 2 worst by p95; short labels; ± in the table', async () => {
    const { runSweep } = await import('../../src/cli/sweep-pool.js');
    const { writeSweepReport } = await import('../../src/io/report-files.js');
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-sweep-report-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `
seed: 3
host: { gpus: [ { vram: 24GiB } ] }
models: { a: { vram: 10GiB, load: 5s }, b: { vram: 16GiB, load: 8s } }
workload: { synthetic: { length: 2h, models: { a: { rate: 60/h, duration: { median: 2, p95: 8 } }, b: { rate: 20/h, duration: 5 } } } }
`);
    const few = await runSweep(file, { axes: [{ key: 'OLLAMA_KEEP_ALIVE', values: [0, -1] }], replications: 2, jobs: 1 });
    await writeSweepReport(join(dir, 'few'), few, '', { file });
    const html = readFileSync(join(dir, 'few', 'report.html'), 'utf8');
    for (const id of ['vram', 'residency', 'cdf']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('replication 1 of every cell');
    expect(html).toContain('<th>label</th>');
    expect(html).toContain('<td>keep 0</td>');
    expect(html).toMatch(/class="pm">± /);

    const many = await runSweep(file, { axes: [{ key: 'OLLAMA_KEEP_ALIVE', values: [0, '10s', '1m', '5m', -1] }], replications: 1, jobs: 1 });
    await writeSweepReport(join(dir, 'many'), many, '', { file });
    const vram = readFileSync(join(dir, 'many', 'charts', 'vram.svg'), 'utf8');
    const order = many.cells.map((c) => c.cell).sort((x, y) => many.cells[x]!.estimates.latency_p95_s!.mean - many.cells[y]!.estimates.latency_p95_s!.mean || x - y);
    const drawn = [...order.slice(0, 2), ...order.slice(-2)].map((i) => shortLabel(many.cells[i]!.candidate));
    for (const l of drawn) expect(vram).toContain(`>${l}<`);
    const left = order.slice(2, -2).map((i) => shortLabel(many.cells[i]!.candidate));
    for (const l of left) expect(vram).not.toContain(`>${l}<`);
  }, 60_000);
});

test('summary.json\'s warnings name a pathology a candidate hit', async () => {
  const { summaryDocument } = await import('../../src/io/run-outputs.js');
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-warn-'));
  writeFileSync(join(dir, 's.yaml'), 'host: { gpus: [ { vram: 24GiB } ] }\nmodels: { a: { vram: 4GiB, load: 1s } }\nworkload: { requests: [ { at: 0, model: a, duration: 1 } ] }\n');
  const sc = await loadScenario(join(dir, 's.yaml'));
  const [r] = runScenario(sc);
  const hung = { ...r!.summary, pathologies: [{ kind: 'head_of_line', requests: 4, wait_s: 90, issue: 'ollama#14578' }] };
  const doc = summaryDocument(sc, [hung]);
  expect(doc.warnings).toContainEqual(expect.stringContaining(': head-of-line blocking (ollama#14578): 4 requests waited on it, 1.5 min in all'));
  expect(summaryDocument(sc, [r!.summary]).warnings.some((w) => w.includes('ollama#'))).toBe(false);
});

test('many short hangs become a bounded number of bars: spans closer than a time slice merge, per kind', async () => {
  const { mergedHangs } = await import('../../src/report/charts.js');
  const hangs = Array.from({ length: 10_000 }, (_, i) => ({ kind: i % 2 ? 'resurrection' : 'head_of_line', from: i * 10, to: i * 10 + 5 }));
  const merged = mergedHangs(hangs, 100);
  expect(merged.map((h) => [h.kind, h.from, h.to])).toEqual([['head_of_line', 0, 99_985], ['resurrection', 10, 99_995]]);
  expect(mergedHangs([{ kind: 'x', from: 0, to: 1 }, { kind: 'x', from: 500, to: 501 }], 100)).toHaveLength(2);
});

test('a sweep\'s over-time charts show the models the sweep report chose, not a top of their own', () => {
  const names = ['a', 'b', 'c'];
  const v = reportView({ summaries: [summary('x', { a: 9, b: 1, c: 5 })], models: names, top: 1, shown: ['c'], spanUs: 1, capacityBytes: [1] });
  expect(v.series).toEqual(['c', OTHER]);
});

test('many candidates: time slices merge so the points in the page stay bounded, and the memory they show is the same', async () => {
  const { sliceFactor } = await import('../../src/report/charts.js');
  expect([1, 4, 5, 8, 12].map(sliceFactor)).toEqual([1, 1, 2, 2, 3]);
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-cands-'));
  const cands = Array.from({ length: 12 }, (_, i) => `  - { name: c${i}, server: { OLLAMA_KEEP_ALIVE: ${i + 1}m } }`).join('\n');
  writeFileSync(join(dir, 's.yaml'), `${WORLD.slice(0, WORLD.indexOf('candidates:'))}candidates:\n${cands}\n`);
  const sc = await loadScenario(join(dir, 's.yaml'));
  const results = runScenario(sc, { series: true });
  const runs: ChartInput[] = results.map((r) => ({ candidate: r.summary.candidate, summary: r.summary, occupancy: r.occupancy!, keyNames: r.keyNames!, latencyCdf: r.latencyCdf! }));
  const view = reportView({ summaries: results.map((r) => r.summary), models: sc.modelNames, top: 4, spanUs: 3 * 3600e6, capacityBytes: results.map(() => 24 * 2 ** 30) });
  const values = (occupancyChart(runs, view).spec.data as { values: { candidate: string; gib: number }[] }).values;
  expect(values.length).toBe(12 * 5 * Math.ceil(runs[0]!.occupancy.buckets / 3));
  // The mean memory of a candidate is the same, merged or not.
  const o = runs[0]!.occupancy;
  let total = 0;
  for (let i = 0; i < o.bytes.length; i++) total += o.bytes[i]!;
  const shown = values.filter((v) => v.candidate === 'c0').reduce((a, v) => a + v.gib, 0) * 3;
  expect(shown).toBeCloseTo(total / 2 ** 30, 1);
  const rects = (residencyChart(runs, view).spec.data as { values: unknown[] }).values.length;
  expect(rects).toBeLessThanOrEqual(12 * 5 * Math.ceil(o.buckets / 3));
});

test('models sharing a runner (key) are drawn as one, under the first of them: no empty legend entry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-key-'));
  const yaml = `
host: { gpus: [ { vram: 24GiB } ] }
models: { a: { vram: 6GiB, load: 2s, key: blob }, b: { vram: 6GiB, load: 2s, key: blob }, c: { vram: 10GiB, load: 3s } }
workload: { synthetic: { length: 2h, models: { a: { rate: 30/h, duration: 5 }, b: { rate: 30/h, duration: 5 }, c: { rate: 20/h, duration: 5 } } } }
`;
  writeFileSync(join(dir, 's.yaml'), yaml);
  const sc = await loadScenario(join(dir, 's.yaml'));
  await writeReport(join(dir, 'out'), sc, runScenario(sc, { series: true }), yaml);
  const labels = (id: string) => [...readFileSync(join(dir, 'out', 'charts', `${id}.svg`), 'utf8').matchAll(/>([abc])<\/text>/g)].map((m) => m[1]).sort();
  expect(labels('vram')).toEqual(['a', 'c']);
  expect(labels('models')).toEqual(['a', 'b', 'c']); // latency is per model
});
