/**
 * The what-if page's Web Worker: holds the scenario and its trace, reruns the
 * simulation for each settings message and draws the charts to SVG (vega
 * renders without a DOM), so the page itself stays responsive.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import type { CandidateSummary } from '../metrics/index.js';
import { decodeTrace, fromJson, type PageBase, type TraceHeader } from './codec.js';
import type { WhatIfSettings } from './settings.js';
import { type PageData, runWhatIf, type WhatIfRun, whatIfCharts } from './whatif.js';

interface Init { type: 'init'; file: string; text: string; base: string; header: TraceHeader; bytes: Uint8Array }
interface Run { type: 'run'; seq: number; settings: WhatIfSettings }

const post = (m: unknown) => (self as unknown as { postMessage(m: unknown): void }).postMessage(m);
let data: PageData | null = null;
let baseline: WhatIfRun | null = null;

async function svg(spec: Record<string, unknown>): Promise<string> {
  // Vega's interpreter instead of its code generator: the page's policy allows no eval.
  const runtime = vega.parse(vl.compile(spec as unknown as vl.TopLevelSpec).spec, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: 'none', expr: expressionInterpreter });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

async function run(m: Run): Promise<void> {
  const t0 = performance.now();
  let last = 0;
  const progress = (done: number, total: number) => {
    const now = performance.now();
    if (now - last > 100) { last = now; post({ type: 'progress', seq: m.seq, done, total }); }
  };
  baseline ??= runWhatIf(data!, {}, progress);
  const whatIf = runWhatIf(data!, m.settings, progress);
  const simulated = performance.now() - t0;
  const charts = whatIfCharts([{ label: 'baseline', run: baseline }, { label: 'what-if', run: whatIf }]);
  const drawn = await Promise.all(charts.map(async (c) => ({ id: c.id, title: c.title, howToRead: c.howToRead, svg: await svg(c.spec) })));
  const summary = (r: WhatIfRun): CandidateSummary => r.result.summary;
  post({
    type: 'result', seq: m.seq, baseline: summary(baseline), whatIf: summary(whatIf), candidate: whatIf.candidate.name,
    warnings: whatIf.warnings, charts: drawn, simulatedMs: simulated, totalMs: performance.now() - t0,
  });
}

self.onmessage = (e: MessageEvent<Init | Run>) => {
  const m = e.data;
  if (m.type === 'init') {
    data = { file: m.file, text: m.text, base: fromJson<PageBase>(m.base), trace: decodeTrace(m.header, m.bytes) };
    post({ type: 'ready' });
    return;
  }
  run(m).catch((err: Error) => post({ type: 'error', seq: m.seq, message: err.message }));
};
