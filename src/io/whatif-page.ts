import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ResolvedScenario } from '../config/types.js';
import { GPUS } from '../hardware/gpus.js';
import { encodeTrace, toJson } from '../page/codec.js';
import { escapeHtml } from '../report/html.js';
import { pageScripts } from './page-scripts.js';

/** Above this many requests the page would not feel live: `run --whatif` refuses (use window: or rate_scale). */
export const WHATIF_MAX_REQUESTS = 1_000_000;

/**
 * `run --out DIR --whatif`: DIR/whatif.html, one self-contained file — the
 * engine, scheduler and resolver bundled for the browser, the hardware
 * catalogue, the scenario's text and its trace (gzip, base64) — whose
 * controls rerun the simulation in a Web Worker. Nothing is fetched.
 */
export async function writeWhatIfPage(dir: string, sc: ResolvedScenario, scenarioText: string): Promise<void> {
  const { candidates: _c, trace, ...base } = sc;
  const { header, bytes } = encodeTrace(trace);
  const scripts = await pageScripts();
  const config = {
    file: sc.file, text: scenarioText, base: toJson(base), header, name: sc.name, models: sc.modelNames,
    gpus: GPUS.map((g) => ({ id: g.id, name: `${g.name} (${g.id})` })), requests: trace.length,
  };
  const b64 = (b: Uint8Array | string) => gzipSync(b, { level: 9 }).toString('base64');
  writeFileSync(join(dir, 'whatif.html'), page(sc.name, {
    config: JSON.stringify(config).replace(/</g, '\\u003c'),
    worker: b64(scripts.worker),
    trace: b64(bytes),
    ui: scripts.ui.replace(/<\/script/gi, '<\\/script'),
  }));
}

function page(name: string, parts: { config: string; worker: string; trace: string; ui: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(name)} — what if</title>
<style>
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 12px 20px; background: #f4f4f4; border-bottom: 1px solid #ddd; }
main { display: grid; grid-template-columns: 340px 1fr; gap: 20px; padding: 16px 20px; }
#controls { display: flex; flex-direction: column; gap: 10px; }
.control { display: grid; grid-template-columns: 1fr 70px; font-size: 13px; }
.control span { grid-column: 1 / 3; }
.control input, .control select { width: 100%; }
.control output { text-align: right; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border-bottom: 1px solid #eee; padding: 3px 10px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
#status { font-size: 13px; color: #555; }
body[data-state=error] #status { color: #b00; }
figure { margin: 16px 0; } figcaption { font-size: 12px; color: #555; max-width: 700px; }
#warnings { white-space: pre-wrap; font-size: 12px; color: #a60; }
</style></head>
<body data-state="loading">
<header><strong>${escapeHtml(name)}</strong> — what if? Move a control: the simulation reruns in this page (nothing is sent anywhere) and the
link in the address bar keeps the settings. <span id="status">loading…</span></header>
<main>
<section><div id="controls"></div></section>
<section>
<p>What-if: <code id="candidate"></code>, against the scenario's first candidate as written (baseline).</p>
<table><thead><tr><th>figure</th><th>baseline</th><th>what-if</th><th>change</th></tr></thead><tbody id="figures"></tbody></table>
<div id="warnings"></div>
<div id="charts"></div>
</section>
</main>
<script type="application/json" id="whatif-config">${parts.config}</script>
<script type="text/plain" id="whatif-worker">${parts.worker}</script>
<script type="text/plain" id="whatif-trace">${parts.trace}</script>
<script>${parts.ui}</script>
</body></html>
`;
}
