import { GPUS } from '../hardware/gpus.js';
import { MODELS } from '../hardware/models.js';
import { PAGE_CACHE, STORAGE } from '../hardware/storage.js';
import { loadScenario } from '../io/load-scenario.js';
import { explainText, gpusText, modelsText, storageText } from '../report/explain.js';
import { explainScenario } from '../sim/explain.js';
import { advise } from '../plan/advise.js';
import { adviceText } from '../report/advice.js';
import { maxRequestsArg } from './args.js';

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

export async function adviseCommand(file: string, opts: { json?: boolean; maxRequests?: string }): Promise<void> {
  const sc = await loadScenario(file, maxRequestsArg(opts.maxRequests));
  for (const w of sc.warnings) process.stderr.write(`warning: ${w}\n`);
  const advice = advise(sc);
  process.stdout.write(opts.json ? JSON.stringify(advice, null, 2) + '\n' : adviceText(advice));
}
