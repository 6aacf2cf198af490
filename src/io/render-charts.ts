import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Resvg from '@resvg/resvg-js';
import type * as VegaLite from 'vega-lite';
import { type ChartingStack, loadChartingStack } from './charting-stack.js';

/**
 * The charting stack (vega, vega-lite, resvg: most of the start-up time) is
 * loaded the first time a chart is drawn, so `run --json`, `explain` and the
 * other chart-less paths never pay for it.
 */
let charting: Promise<ChartingStack> | null = null;
const loadCharting = () => (charting ??= loadChartingStack());
/** Loads the charting stack now (a charting thread, before its first chart). */
export const preloadCharting = (): Promise<unknown> => loadCharting();
// resvg is CommonJS (a native addon), so it can be required on first use without making toPng async.
let resvg: typeof Resvg | null = null;
const loadResvg = () => (resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof Resvg);

/**
 * Vega-Lite spec → SVG (vega's headless View, no canvas) → PNG (resvg). resvg
 * draws no text at all without fonts, and silently (toolchain notes), so it is
 * given DejaVu Sans explicitly; without those files PNGs are skipped and the
 * caller says so.
 */
const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];

export function fontFiles(): string[] | null {
  for (const dir of FONT_DIRS) {
    const regular = `${dir}/DejaVuSans.ttf`;
    const bold = `${dir}/DejaVuSans-Bold.ttf`;
    if (existsSync(regular)) return existsSync(bold) ? [regular, bold] : [regular];
  }
  const regular = fcMatch('DejaVu Sans');
  if (!regular) return null;
  const bold = fcMatch('DejaVu Sans:bold');
  return bold ? [regular, bold] : [regular];
}

/** Where fontconfig keeps a DejaVu face elsewhere; null if absent (fc-match names a substitute rather than failing). */
function fcMatch(pattern: string): string | null {
  try {
    const file = execFileSync('fc-match', ['-f', '%{file}', pattern], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /DejaVuSans[-.]/.test(file) && existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

export async function toSvg(spec: Record<string, unknown>): Promise<string> {
  const { vega, vl } = await loadCharting();
  const compiled = vl.compile(spec as unknown as VegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const pngOptions = (fonts: string[]): Resvg.ResvgRenderOptions => ({
  fitTo: { mode: 'width', value: 1600 },
  background: 'white',
  font: { loadSystemFonts: false, fontFiles: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
});

export function toPng(svg: string, fonts: string[]): Buffer {
  return new (loadResvg().Resvg)(svg, pngOptions(fonts)).render().asPng();
}

/** toPng on libuv's thread pool: the same bytes, drawn while this thread lays out the next chart. */
export async function toPngAsync(svg: string, fonts: string[]): Promise<Buffer> {
  return (await loadResvg().renderAsync(svg, pngOptions(fonts))).asPng();
}
