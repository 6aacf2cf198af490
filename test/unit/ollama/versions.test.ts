/**
 * The version table and each rule's boundary (src/ollama/versions.ts), read from
 * ollama/ollama at the tags cited (git show TAG:FILE). Where spec §10 and the
 * source disagree, the source won: the JSON-number keep_alive is fractional from
 * v0.11.8 (0.11.8 api/types.go:891), not v0.12.0.
 */
import { describe, expect, test } from 'vitest';
import { autoNumParallel } from '../../../src/ollama/num-parallel.js';
import { selectPlacement, type Fit } from '../../../src/ollama/placement.js';
import { compareVersions, CURRENT_VERSION, differences, eraOf, nearestVersion, OLLAMA_VERSIONS, parseVersion, versionProfile } from '../../../src/ollama/versions.js';

const GiB = 2 ** 30;

describe('the bundled list of release tags', () => {
  test('v0.2.0 … v0.32.15: the 175 release tags of `git tag`, sorted, no v0.25–v0.29, no rc', () => {
    expect(OLLAMA_VERSIONS[0]).toBe('0.2.0');
    expect(OLLAMA_VERSIONS.at(-1)).toBe(CURRENT_VERSION);
    expect(OLLAMA_VERSIONS).toHaveLength(175);
    for (let i = 1; i < OLLAMA_VERSIONS.length; i++) expect(compareVersions(OLLAMA_VERSIONS[i - 1]!, OLLAMA_VERSIONS[i]!)).toBeLessThan(0);
    expect(OLLAMA_VERSIONS).toContain('0.6.8');
    expect(OLLAMA_VERSIONS).toContain('0.24.0');
    expect(OLLAMA_VERSIONS).not.toContain('0.25.0');
    expect(OLLAMA_VERSIONS).not.toContain('0.8.1');
  });

  test.each([
    ['0.6.8', { ok: true, version: '0.6.8' }],
    ['v0.11.4', { ok: true, version: '0.11.4' }],
    ['0.1.48', { ok: false, nearest: '0.2.0' }], // E0: refused
    ['0.6.8-rc1', { ok: false, nearest: '0.6.8' }],
    ['0.6.9', { ok: false, nearest: '0.6.8' }],
    ['0.27.3', { ok: false, nearest: '0.24.0' }],
    ['0.33', { ok: false, nearest: '0.32.15' }],
    ['latest', { ok: false, nearest: CURRENT_VERSION }],
  ] as const)('%s', (text, expected) => {
    expect(parseVersion(text)).toEqual(expected);
  });

  test('a YAML number is never a version (0.30 reads as 0.3)', () => {
    expect(parseVersion(0.3)).toEqual({ ok: false, nearest: '0.3.0' });
    expect(nearestVersion('0.3')).toBe('0.3.0');
  });
});

describe('eras and boundaries, each at the first tag with the newer rule', () => {
  const p = versionProfile;
  test('eras: E1 to v0.11.4, E2 v0.11.5 (fast path, 0.11.5 sched.go:104-115), E3 v0.30.0', () => {
    expect(['0.2.0', '0.11.4', '0.11.5', '0.24.0', '0.30.0', '0.32.15'].map(eraOf)).toEqual(['E1', 'E1', 'E2', 'E2', 'E3', 'E3']);
    expect([p('0.11.4').fastPath, p('0.11.5').fastPath]).toEqual([false, true]);
    expect([p('0.11.4').asyncLoad, p('0.11.5').asyncLoad]).toEqual([true, false]);
    expect([p('0.11.4').joinsLoad, p('0.11.5').joinsLoad, p('0.24.0').joinsLoad, p('0.30.0').joinsLoad]).toEqual([false, true, true, false]);
    expect(p()).toEqual(p(CURRENT_VERSION));
  });

  test('load-OOM retry from v0.30.0 (evictAllAndWait, 9db4bdbad)', () => {
    expect([p('0.24.0').loadOomRetry, p('0.30.0').loadOomRetry]).toEqual([false, true]);
  });

  test('whole-second JSON keep_alive until v0.11.7 (api/types.go:891 `int(t) * int(time.Second)`), fractional from v0.11.8', () => {
    expect([p('0.6.8').wholeSecondKeepAlive, p('0.11.7').wholeSecondKeepAlive, p('0.11.8').wholeSecondKeepAlive]).toEqual([true, true, false]);
  });

  test('unload shortcut from v0.3.11 (routes.go:123); unload during a load marks until v0.24.0', () => {
    expect([p('0.3.10').unloadShortcut, p('0.3.11').unloadShortcut]).toEqual([false, true]);
    expect([p('0.24.0').unloadWaitsForLoad, p('0.30.0').unloadWaitsForLoad]).toEqual([true, false]);
  });

  test('default context 2048 to v0.6.6, 4096 from v0.6.7 (envconfig/config.go:172), VRAM tiers from v0.15.5 (routes.go:1733)', () => {
    expect(['0.6.6', '0.6.7', '0.15.4', '0.15.5'].map((v) => p(v).defaultContext)).toEqual([2048, 4096, 4096, 0]);
    expect([p('0.24.0').contextAutoNormalised, p('0.30.0').contextAutoNormalised]).toEqual([false, true]);
  });

  test('automatic NUM_PARALLEL 4 to v0.6.6, 2 from v0.6.7, 1 from v0.10.0 (sched.go defaultParallel)', () => {
    expect(['0.2.0', '0.6.6', '0.6.7', '0.9.6', '0.10.0'].map((v) => p(v).autoNumParallel)).toEqual([4, 4, 2, 2, 1]);
  });

  test('full fit with OLLAMA_GPU_OVERHEAD before v0.30.0, the 80 % pre-flight from it; recovery 80 % then 75 % from v0.12.6', () => {
    expect([p('0.24.0').fitThreshold, p('0.30.0').fitThreshold]).toEqual([1, 0.8]);
    expect([p('0.24.0').overheadPerGpu, p('0.30.0').overheadPerGpu]).toEqual([true, false]);
    expect([p('0.24.0').cpuRamCheck, p('0.30.0').cpuRamCheck]).toEqual([true, false]);
    expect([p('0.6.5').randomVictimTies, p('0.6.6').randomVictimTies]).toEqual([true, false]);
    expect([p('0.24.0').batchSurcharge, p('0.30.0').batchSurcharge]).toEqual([false, true]);
    expect([p('0.24.0').minimumMemory?.discrete, p('0.30.0').minimumMemory]).toEqual([457 * 2 ** 20, null]);
    expect([p('0.12.5').recoveryThreshold, p('0.12.6').recoveryThreshold]).toEqual([0.8, 0.75]);
  });

  test('differences: none for the current version, several for 0.6.8', () => {
    expect(differences(p())).toEqual([]);
    expect(differences(p('0.6.8')).join('\n')).toMatch(/no fast path[\s\S]*no load-OOM retry[\s\S]*default context 4096/);
  });
});

describe('rule variants', () => {
  const fit = (gib: number): Fit => ({ predicted: gib * GiB, surcharge: () => 0, actual: (x) => x });
  test('placement: 35 GiB beside 40 GiB on 80 GiB fits fully (E1/E2) but not in 80 % (E3); GPU overhead 6 GiB breaks the full fit', () => {
    const used = Float64Array.from([40 * GiB]);
    expect(selectPlacement(fit(35), [80 * GiB], used, false, false)).toBeNull();
    expect(selectPlacement(fit(35), [80 * GiB], used, false, false, Infinity, -1, { threshold: 1, overhead: 0 })).not.toBeNull();
    expect(selectPlacement(fit(35), [80 * GiB], used, false, false, Infinity, -1, { threshold: 1, overhead: 6 * GiB })).toBeNull();
  });

  test('automatic NUM_PARALLEL: only when the variable is unset or 0, and only if the model fits with it', () => {
    const fits = (n: number) => n <= 2;
    expect(autoNumParallel(2, undefined, fits)).toBe(2);
    expect(autoNumParallel(2, '0', fits)).toBe(2);
    expect(autoNumParallel(4, '', fits)).toBe(1); // 4 slots do not fit: back to 1
    expect(autoNumParallel(4, 3, fits)).toBe(0); // set: OLLAMA_NUM_PARALLEL decides
    expect(autoNumParallel(1, undefined, fits)).toBe(0); // from v0.10.0: the env default 1
  });
});
