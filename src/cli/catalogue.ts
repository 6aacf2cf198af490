import { GPUS } from '../hardware/gpus.js';
import { MODELS } from '../hardware/models.js';
import { PAGE_CACHE, STORAGE } from '../hardware/storage.js';
import { loadScenario } from '../io/load-scenario.js';
import { explainText, gpusText, modelsText, storageText } from '../report/explain.js';
import { explainScenario } from '../sim/explain.js';
import { advise } from '../plan/advise.js';
import { adviceText } from '../report/advice.js';
import { msg } from '../diag/index.js';
import { argError, maxRequestsArg } from './args.js';
import { progressBar } from './progress.js';

export function gpusCommand(): void {
  process.stdout.write(gpusText(GPUS));
  process.stdout.write(`\n${storageText([...STORAGE, PAGE_CACHE])}`);
}

export function modelsCommand(): void {
  process.stdout.write(modelsText(MODELS));
}

export async function explainCommand(file: string, opts: { maxRequests?: string }): Promise<void> {
  const sc = await loadScenario(file, maxRequestsArg(opts.maxRequests));
  for (const w of sc.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(explainText(explainScenario(sc)));
}

export async function adviseCommand(file: string, opts: { json?: boolean; cold?: string; maxRequests?: string }): Promise<void> {
  const coldTarget = opts.cold === undefined ? null : parseShare(opts.cold);
  if (Number.isNaN(coldTarget)) throw argError('--cold', msg.badShare(opts.cold!));
  const sc = await loadScenario(file, maxRequestsArg(opts.maxRequests));
  for (const w of sc.warnings) process.stderr.write(`warning: ${w}\n`);
  const bar = progressBar('advise', 'runs', 20);
  const advice = advise(sc, { coldTarget, progress: (done, total) => bar.update(done, total) });
  bar.stop();
  process.stdout.write(opts.json ? JSON.stringify(advice, null, 2) + '\n' : adviceText(advice));
}

/** "5%" or "0.05" → 0.05; anything else (or outside 0–100 %) → NaN. */
function parseShare(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(v);
  if (!m) return NaN;
  const x = Number(m[1]) / (m[2] ? 100 : 1);
  return x <= 1 ? x : NaN;
}
