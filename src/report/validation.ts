import type { Calibration } from '../calibrate/calibrate.js';
import type { Validation } from '../calibrate/validate.js';
import type { Chart } from './charts.js';
import { base, WIDTH } from './charts.js';
import { escapeHtml } from './html.js';

/** `validate`'s table: loads, unloads, then every per-model figure with its relative error. */
export function validationText(v: Validation, tolerance: number): string {
  const lines: string[] = [];
  lines.push(`loads:   ${v.loads.matched} of ${v.loads.observed} observed matched (replay made ${v.loads.predicted})` +
    (v.loads.missing.length ? `; not a load in the replay: requests ${v.loads.missing.slice(0, 8).join(', ')}` : '') +
    (v.loads.extra.length ? `; a load only in the replay: requests ${v.loads.extra.slice(0, 8).join(', ')}` : ''));
  lines.push(`unloads: ${v.unloads.matched} of ${v.unloads.observed} seen by /api/ps matched within one poll (replay made ${v.unloads.predicted})`);
  lines.push('');
  const head = ['model', 'figure', 'observed', 'predicted', 'error'];
  const rows = v.figures.map((f) => [f.model, f.figure, f.observed.toFixed(3), f.predicted.toFixed(3), `${(f.error * 100).toFixed(1)} %`]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ');
  lines.push(fmt(head), ...rows.map(fmt), '');
  const w = v.worst;
  lines.push(w
    ? `largest error: ${(w.error * 100).toFixed(1)} % (${w.model} ${w.figure}); tolerance ${(tolerance * 100).toFixed(1)} %: ${w.error > tolerance ? 'FAILED' : 'passed'}`
    : 'nothing to compare: no request of the recording was replayed');
  return lines.join('\n') + '\n';
}

export function calibrationText(c: Calibration): string {
  const f = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
  const lines = [`${c.requests} requests recorded, ${c.measured} with Ollama's metric fields${c.version ? `; Ollama ${c.version}` : ''}`, ''];
  const head = ['model', 'requests', 'cold load s', 'warm load s', 'prefill tok/s', 'decode tok/s', 'decode cv', 'alone', 'α', 'size_vram GiB'];
  const rows = c.models.map((m) => [m.model, String(m.requests), f(m.coldLoad?.median), f(m.warmLoad?.median), f(m.prefill?.median, 0), f(m.decode?.median, 0),
    m.decode ? `${(m.decode.cv * 100).toFixed(1)} %` : '–', String(m.alone), f(m.parallelExponent ?? undefined, 2), m.sizeVram ? (m.sizeVram / 2 ** 30).toFixed(2) : '–']);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c2, i) => (i === 0 ? c2.padEnd(width[i]!) : c2.padStart(width[i]!))).join('  ');
  lines.push(fmt(head), ...rows.map(fmt));
  return lines.join('\n') + '\n';
}

/** Observed against predicted, one point per model and figure, with the line where they agree. */
export function validationChart(v: Validation): Chart {
  const values = v.figures.filter((f) => f.figure !== 'cold_share').map((f) => ({ model: f.model, figure: f.figure, observed: f.observed, predicted: f.predicted }));
  const top = Math.max(1e-3, ...values.flatMap((x) => [x.observed, x.predicted]));
  return {
    id: 'validation', title: 'Observed against predicted',
    howToRead: 'Each point is one model\'s latency or TTFT quantile: what the server did (x) against what the replay predicts (y). On the diagonal they agree; above it the replay is pessimistic, below optimistic.',
    spec: base('Observed against predicted (s)', {
      width: WIDTH, height: WIDTH * 0.6,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: top, y: top }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
        {
          data: { values }, mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x: { field: 'observed', type: 'quantitative', title: 'observed (s)' },
            y: { field: 'predicted', type: 'quantitative', title: 'predicted (s)' },
            color: { field: 'model', type: 'nominal' }, shape: { field: 'figure', type: 'nominal' },
            tooltip: [{ field: 'model' }, { field: 'figure' }, { field: 'observed', format: '.3f' }, { field: 'predicted', format: '.3f' }],
          },
        },
      ],
    }),
  };
}

export function validationHtml(title: string, text: string, charts: { chart: Chart; svg: string }[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:'DejaVu Sans',sans-serif;margin:24px;color:#222} pre{background:#f6f6f6;padding:12px}</style></head>
<body><h1>${escapeHtml(title)}</h1><pre>${escapeHtml(text)}</pre>
${charts.map((c) => `<section class="chart" id="${escapeHtml(c.chart.id)}"><h2>${escapeHtml(c.chart.title)}</h2>${c.svg}<p>${escapeHtml(c.chart.howToRead)}</p></section>`).join('\n')}
</body></html>
`;
}
