/**
 * The figures a bought fleet's power bill and the planner's floor rest on:
 * busy_share (a host has a request running) and the service time (end − start).
 */
import { describe, expect, test } from 'vitest';
import { DEFAULTS, runYaml } from '../../helpers/run-yaml.js';

/** a loads 0–5 s and runs 5–15 s; b loads 30–32 s and runs 32–37 s (the window end). */
const TWO_MODELS = `${DEFAULTS}
models: { a: { vram: 10GiB, load: 5s }, b: { vram: 4GiB, load: 2s } }
workload:
  requests:
    - { at: 0, model: a, duration: 10 }
    - { at: 30, model: b, duration: 5 }
`;

describe('busy share and service time', () => {
  test('busy while a loaded runner has a request in it: 15 s of a 37 s window; loading is not busy', async () => {
    const [rec] = [...(await runYaml(TWO_MODELS)).values()];
    const s = rec!.result.summary;
    expect(s.window_s).toBe(37);
    expect(s.busy_share).toBeCloseTo(15 / 37, 6);
    expect(s.gpu_busy_share).toBeCloseTo(15 / 37, 6); // one GPU: the host's share
    expect([s.service_p50_s, s.service_p95_s, s.models.a!.service_p95_s, s.models.b!.service_p95_s]).toEqual([5, 10, 10, 5]);
  });

  test('overlapping requests on one host count once; the same requests spread over a fleet count per host', async () => {
    const overlap = `${DEFAULTS}
server: { OLLAMA_NUM_PARALLEL: 2 }
models: { a: { vram: 10GiB, load: 0s } }
warm: [ a ]
workload:
  requests:
    - { at: 0, model: a, duration: 10 }
    - { at: 0, model: a, duration: 10 }
    - { at: 20, model: a, duration: 0.001 }
`;
    const one = [...(await runYaml(overlap)).values()][0]!.result.summary;
    expect(one.busy_share).toBeCloseTo(10.001 / 20.001, 4);
    const fleet = [...(await runYaml(`${overlap}\nfleet: { hosts: 2, router: round-robin }\n`)).values()][0]!.result.summary;
    // Host 0 runs one 10 s request (and the last), host 1 the other: 20 host-seconds of 2 × 20 s.
    expect(fleet.busy_share).toBeCloseTo(20.001 / (2 * 20.001), 4);
  });

  test('per GPU: two models on their own GPUs of one host keep each GPU busy only while its own model runs', async () => {
    const twoGpus = TWO_MODELS.replace('host: { gpus: [ { vram: 80GiB } ], unload: 1s }', 'host: { gpus: [ { vram: 16GiB }, { vram: 16GiB } ], unload: 1s }');
    const s = [...(await runYaml(twoGpus)).values()][0]!.result.summary;
    expect(s.busy_share).toBeCloseTo(15 / 37, 6);
    expect(s.gpu_busy_share).toBeCloseTo(15 / (2 * 37), 6); // 10 s on one GPU, 5 s on the other, of 2 × 37 GPU-seconds
    // Split across both GPUs (it does not fit on one 12 GiB GPU), a keeps both busy while it runs.
    const split = [...(await runYaml(twoGpus.replaceAll('16GiB', '12GiB'))).values()][0]!.result.summary;
    expect(split.gpu_busy_share).toBeCloseTo((2 * 10 + 5) / (2 * 37), 6);
  });

  test('a restart takes running requests with it: the GPU stops being busy then', async () => {
    const restart = `${DEFAULTS}
models: { a: { vram: 10GiB, load: 0s } }
faults: [ { kind: restart, at: 4s } ]
workload:
  requests:
    - { at: 0, model: a, duration: 10 }
    - { at: 20, model: a, duration: 1 }
`;
    const s = [...(await runYaml(restart)).values()][0]!.result.summary;
    expect(s.window_s).toBe(21);
    expect(s.gpu_busy_share).toBeCloseTo(5 / 21, 6); // 0–4 s, then 20–21 s
    expect(s.busy_share).toBeCloseTo(5 / 21, 6);
  });
});
