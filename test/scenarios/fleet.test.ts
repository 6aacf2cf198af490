/**
 * Fleets behind a router (issue "capacity planner"): N Ollama servers, each
 * with its own scheduler, GPUs and page cache; the routing decisions are
 * events, with the host in the reason column.
 */
import { describe, expect, test } from 'vitest';
import { only } from '../helpers/record.js';
import { DEFAULTS, runYaml } from '../helpers/run-yaml.js';

const requests = Array.from({ length: 8 }, (_, i) => `    - { at: ${i * 100}, model: ${i % 2 ? 'B' : 'A'}, duration: 1 }`).join('\n');
const fleet = (router: string) => `${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s }, B: { vram: 10GiB, load: 5s } }
fleet: { hosts: 2, router: ${router} }
workload:
  requests:
${requests}
`;

describe('fleets', () => {
  test('round-robin alternates hosts (here A always lands on host0 and B on host1)', async () => {
    const [r] = [...(await runYaml(fleet('round-robin'))).values()];
    expect(only(r!.events, 'route').map((e) => e[4])).toEqual(['host0', 'host1', 'host0', 'host1', 'host0', 'host1', 'host0', 'host1']);
    expect(r!.result.summary.loads).toBe(2); // A always on host0, B always on host1
  });

  test('model affinity keeps a model where it is loaded: one load per model', async () => {
    const [r] = [...(await runYaml(fleet('model-affinity'))).values()];
    expect(r!.result.summary.loads).toBe(2);
    const hostOf = (m: string) => new Set(only(r!.events, 'route').filter((e) => e[2] === m).map((e) => e[4]));
    expect(hostOf('A').size).toBe(1);
    expect(hostOf('B').size).toBe(1);
  });

  test('least-outstanding sends concurrent requests to the idle host; random is seeded', async () => {
    const busy = `${DEFAULTS}
models: { A: { vram: 10GiB, load: 5s } }
fleet: { hosts: 2, router: least-outstanding }
workload:
  requests:
    - { at: 0, model: A, duration: 100 }
    - { at: 1, model: A, duration: 100 }
`;
    const [r] = [...(await runYaml(busy)).values()];
    expect(only(r!.events, 'route').map((e) => e[4])).toEqual(['host0', 'host1']);
    expect(r!.result.summary.loads).toBe(2);
    const a = [...(await runYaml(fleet('random'))).values()][0]!;
    const b = [...(await runYaml(fleet('random'))).values()][0]!;
    expect(a.events).toEqual(b.events);
  });

  test('every host has its own memory: two 80 GiB hosts hold what one cannot', async () => {
    const yaml = (hosts: number) => `${DEFAULTS}
models: { A: { vram: 60GiB, load: 5s }, B: { vram: 60GiB, load: 5s } }
fleet: { hosts: ${hosts}, router: model-affinity }
workload:
  requests:
${requests}
`;
    const one = [...(await runYaml(yaml(1))).values()][0]!;
    const two = [...(await runYaml(yaml(2))).values()][0]!;
    expect(one.result.summary.evictions).toBe(7);
    expect(two.result.summary.evictions).toBe(0);
    expect(two.result.summary.vram_peak_gib).toBe(120);
  });
});
