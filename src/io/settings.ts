import type { ResolvedCandidate, ResolvedScenario } from '../config/types.js';
import { parseServerEnv } from '../ollama/envconfig.js';
import { maxRunners } from '../ollama/index.js';
import { FOREVER } from '../ollama/keep-alive.js';
import { explainScenario } from '../sim/explain.js';

const GiB = 2 ** 30;
const gib = (bytes: number) => (Number.isFinite(bytes) ? Math.round((bytes / GiB) * 1000) / 1000 : null);
const sec = (us: number) => (Number.isNaN(us) ? null : us === FOREVER ? 'forever' : us / 1e6);

/**
 * Each candidate's settings as the run resolved them (summary.json's
 * `settings`): the server's environment as Ollama parses it, the host, the
 * fleet, and per model its keep_alive, sizes and load time — so a reader of
 * the results knows what "keep forever" or "the catalogue's 8B" meant.
 */
export function candidateSettings(sc: ResolvedScenario): Record<string, unknown>[] {
  const explained = explainScenario(sc);
  return sc.candidates.map((c, i) => settingsOf(c, explained[i]!));
}

function settingsOf(c: ResolvedCandidate, e: ReturnType<typeof explainScenario>[number]): Record<string, unknown> {
  const env = parseServerEnv(c.server, () => {});
  return {
    server: {
      written: c.server,
      keep_alive_s: sec(env.keepAlive),
      num_parallel: env.numParallel,
      max_loaded_models: maxRunners(env.maxLoadedModels, c.host.gpus.length),
      max_queue: env.maxQueue,
      sched_spread: env.schedSpread,
      context_length: env.contextLength === 0 ? e.tier : env.contextLength,
    },
    host: {
      gpus_gib: c.host.gpus.map(gib),
      gpu_ids: c.host.gpuIds,
      storage: c.host.storage,
      ram_gib: gib(c.host.ram),
      unload_s: c.host.unload / 1e6,
      runner_start_s: c.host.runnerStart / 1e6,
      ...(c.host.unified ? { unified: true } : {}),
    },
    fleet: c.fleet ?? { hosts: 1 },
    rate_scale: c.rateScale ?? 1,
    eviction_order: c.eviction ?? 'ollama',
    retry: c.retry ? { attempts: c.retry.attempts, backoff_s: c.retry.backoff / 1e6 } : null,
    models: Object.fromEntries(c.models.map((m, k) => {
      const x = e.models[k]!;
      return [m.name, {
        // null: the request's own keep_alive, else the server's (above).
        keep_alive_s: sec(m.keepAlive),
        p_gib: gib(x.p),
        vram_gib: gib(x.vram),
        load_s: x.loadCold,
        key: m.key,
        num_ctx: x.numCtx,
        source: x.source,
        ...(m.tag ? { tag: m.tag } : {}),
      }];
    })),
  };
}
