import type { ResolvedCandidate } from '../config/types.js';
import { parseServerEnv, type SchedModel, type SchedulerConfig } from '../ollama/index.js';

/** Runner keys: models that name the same `key` (blob) share an index. */
export function runnerKeys(models: readonly { key: string }[]): { keyOf: Int32Array; keyNames: string[] } {
  const keyNames: string[] = [];
  const index = new Map<string, number>();
  const keyOf = new Int32Array(models.length);
  models.forEach((m, i) => {
    let k = index.get(m.key);
    if (k === undefined) {
      k = keyNames.length;
      keyNames.push(m.key);
      index.set(m.key, k);
    }
    keyOf[i] = k;
  });
  return { keyOf, keyNames };
}

/** A candidate as the scheduler sees it. Env warnings were already reported by the loader. */
export function schedulerConfig(c: ResolvedCandidate): SchedulerConfig {
  const { keyOf, keyNames } = runnerKeys(c.models);
  const models: SchedModel[] = c.models.map((m, i) => ({
    name: m.name,
    key: keyOf[i]!,
    p: m.p,
    vram: m.vram,
    load: m.load,
    loadFailsAfter: m.loadFailsAfter,
    numCtx: m.numCtx,
    nCtxTrain: m.nCtxTrain,
  }));
  return {
    env: parseServerEnv(c.server, () => {}),
    gpus: c.host.gpus,
    unload: c.host.unload,
    models,
    keyNames,
  };
}
