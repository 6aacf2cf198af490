/**
 * The bundled scenario scenarios/upgrade.yaml: the same traffic on Ollama 0.6.8
 * (E1), 0.20.0 (E2) and the current version (E3). On 0.6.8 the hot completion
 * model's requests queue behind the reviewer's eviction of the busy summariser
 * (no fast path); from 0.11.5 they take the fast path — and so do the
 * summariser's, whose keep_alive 10m resurrects the runner the reviewer waits
 * to evict (#17408), which 0.6.8 cannot do.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import type { Req } from '../../src/ollama/index.js';
import { runScenario } from '../../src/sim/run-scenario.js';
import { runYaml } from '../helpers/run-yaml.js';

const FILE = resolve(import.meta.dirname, '../../scenarios/upgrade.yaml');
const HOT = 0; // completion

/** Per candidate: hot-model requests that found their model loaded and still waited more than 5 s for admission, and the longest wait of any request (s). */
async function waits() {
  const scenario = await loadScenario(FILE);
  const out = new Map<string, { hotWaited: number; longest: number }>();
  runScenario(scenario, {
    requests: (c) => {
      const w = { hotWaited: 0, longest: 0 };
      out.set(c, w);
      return {
        done(r: Req) {
          if (Number.isNaN(r.admitted)) return;
          const wait = (r.admitted - r.arrival) / 1e6;
          if (r.model === HOT && !r.cold && wait > 5) w.hotWaited++; // its model was loaded: it waited behind something else
          w.longest = Math.max(w.longest, wait);
        },
      };
    },
  });
  return out;
}

describe('scenarios/upgrade.yaml', () => {
  test('0.6.8: the hot model waits behind evictions, but nothing hangs on a resurrected runner; 0.20.0 and current: the reverse', async () => {
    const w = await waits();
    const [e1, e2, e3] = ['0.6.8', '0.20.0', 'current'].map((c) => w.get(c)!);
    expect(e1!.hotWaited).toBeGreaterThan(50);
    expect(e2!.hotWaited).toBe(0);
    expect(e3!.hotWaited).toBe(0);
    expect(e1!.longest).toBeLessThan(600);
    expect(e2!.longest).toBeGreaterThan(1500); // the resurrection hang: until the summariser idles 10 minutes
    expect(e3!.longest).toBeGreaterThan(1500);
  });

  test('summary.json names each version and era; 503s: completion behind evictions on 0.6.8, none on 0.20.0, completion behind the hung reviewer on current', async () => {
    const [e1, e2, e3] = runScenario(await loadScenario(FILE)).map((r) => r.summary);
    expect([e1, e2, e3].map((s) => [s!.ollama_version, s!.ollama_era])).toEqual([['0.6.8', 'E1'], ['0.20.0', 'E2'], ['0.32.15', 'E3']]);
    expect(e1!.models.completion!.rejected_503).toBeGreaterThan(0);
    expect(e2!.rejected_503).toBe(0);
    // The 80 % pre-flight keeps the reviewer evicting after completion expires (28 GiB > 80 % of 32): completion, now on the slow path, queues behind it.
    expect(e3!.models.completion!.rejected_503).toBeGreaterThan(10 * e1!.rejected_503);
  });

  test('one input changed: without the summariser\'s keep_alive 10m the hang is gone on the current version too', async () => {
    const text = readFileSync(FILE, 'utf8').replace('load: 6s, keep_alive: 10m }', 'load: 6s }');
    const all = await runYaml(text);
    const current = all.get('current')!;
    const longest = Math.max(...[...current.requests.values()].filter((q) => q.admitted !== null).map((q) => q.admitted! - q.arrival));
    expect(longest).toBeLessThan(600);
    expect(current.result.summary.rejected_503).toBeLessThan(1000);
  });
});
