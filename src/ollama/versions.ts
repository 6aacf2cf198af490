/**
 * Ollama release versions and the scheduler rules each one runs (spec §10).
 *
 * The release tags vX.Y.Z of ollama/ollama from v0.2.0 on, as `git tag` lists
 * them (the last of each minor; every patch below it exists too). There is no
 * v0.25–v0.29. Release candidates (-rcN) and E0 (v0.1.x) are not supported.
 */
const MiB = 2 ** 20;

const LAST_PATCH: readonly (readonly [minor: number, last: number])[] = [
  [2, 8], [3, 14], [4, 7], [5, 13], [6, 8], [7, 1], [8, 0], [9, 6], [10, 1], [11, 11], [12, 11], [13, 5],
  [14, 3], [15, 6], [16, 3], [17, 7], [18, 3], [19, 0], [20, 7], [21, 2], [22, 1], [23, 4], [24, 0],
  [30, 11], [31, 2], [32, 15],
];

/** Every supported version, oldest first: "0.2.0" … "0.32.15". */
export const OLLAMA_VERSIONS: readonly string[] = LAST_PATCH.flatMap(([minor, last]) =>
  Array.from({ length: last + 1 }, (_, p) => `0.${minor}.${p}`));

/** The version the spec describes (its commit's scheduling files are identical to v0.32.15, spec §1). */
export const CURRENT_VERSION = '0.32.15';

export type Era = 'E1' | 'E2' | 'E3';

/**
 * What changes between versions, one field per rule; each names the first
 * version with the E3 behaviour and the Ollama lines it was read from.
 */
export interface VersionProfile {
  version: string;
  era: Era;
  /**
   * GetRunner's fast path (0.11.5 sched.go:104-115). Without it every request
   * goes through pendingReqCh (0.6.8 sched.go:97-101): MAX_QUEUE counts all of
   * them and a loaded model's request waits behind an eviction (0.6.8 :297-298).
   */
  fastPath: boolean;
  /**
   * E1's asynchronous load (0.6.8 sched.go:448-476): the scheduler moves on
   * while a runner loads; a request for a loaded model at the head of the queue
   * is served, the next one that touches the loading runner blocks on its refMu,
   * and a new model whose GPUs were all loading is re-queued 250 ms later
   * (0.6.8 :246-273, reschedDelay :77). E2 and E3 are serial in effect.
   */
  asyncLoad: boolean;
  /**
   * E2: the loading runner is in the table, so a fast-path request for it
   * blocks on its refMu and is served when it is up (0.20.0 sched.go:127-131,
   * :548-584; join-load.ts). E1 has no fast path; from v0.30.0 the runner
   * enters the table only when ready.
   */
  joinsLoad: boolean;
  /** The load-OOM retry (evictAllAndWait, v0.30.0, commit 9db4bdbad); before it a failed load is a 500. */
  loadOomRetry: boolean;
  /**
   * A JSON-number keep_alive is truncated to whole seconds (0.6.8 api/types.go:705,
   * `int(t) * int(time.Second)`); fractional from v0.11.8 (api/types.go:891), whose
   * unload shortcut also tests `Duration == 0` (routes.go:192) instead of `int(Seconds())`.
   */
  wholeSecondKeepAlive: boolean;
  /** The empty-prompt keep_alive 0 unload shortcut (v0.3.11 routes.go:123); before it the request loads the model first. */
  unloadShortcut: boolean;
  /**
   * An unload request for a model being loaded waits for the load and then marks
   * the runner (0.6.8 routes.go:162-163 → sched.go:844-861; 0.20.0 :914-931);
   * from v0.30.0 the loading runner is not in the table and it is a no-op.
   */
  unloadWaitsForLoad: boolean;
  /** The context of a request without num_ctx: 2048 before v0.6.7, 4096 (envconfig/config.go:172), 0 = VRAM tiers (v0.15.5 routes.go:1733-1735). */
  defaultContext: number;
  /** needsReload ignores num_ctx when runner and request both use the automatic context (v0.30.0 sched.go); before, plain DeepEqual of numbers. */
  contextAutoNormalised: boolean;
  /** defaultParallel when OLLAMA_NUM_PARALLEL is unset: 4 (v0.2.0–v0.6.6), 2 (v0.6.7–v0.9.6), 1 from v0.10.0 (sched.go:57-62). */
  autoNumParallel: number;
  /**
   * Share of a GPU's free memory a 2nd+ model may take: 1 (a full fit of the
   * estimate, pickBestFullFitByLibrary 0.6.8 :728-777; E2 the runner's full
   * layout, 0.20.0 llm/server.go:971) before v0.30.0, then the 80 % pre-flight.
   */
  fitThreshold: number;
  /**
   * On a CPU-only host a 2nd+ model must fit in free system RAM, else a runner
   * is evicted (maybeFindCPURunnerToUnload, 0.6.8 sched.go:213-223, :865-876;
   * E2 the layout's RAM check); from v0.30.0 there is no check (spec §5.2c).
   */
  cpuRamCheck: boolean;
  /** Equal-keep_alive victims in random order (ByDuration, before v0.6.6; victim-ties.ts); from v0.6.6 by blob path. */
  randomVictimTies: boolean;
  /** The automatic num_batch and its surcharge on P (generation-batch.ts) exist from v0.30.0 (sched.go automaticGenerationBatch). */
  batchSurcharge: boolean;
  /**
   * Bytes set aside on every GPU in the fit before v0.30.0: the device's
   * MinimumMemory, 457 MiB for CUDA and ROCm, 512 MiB for Metal (0.6.8
   * discover/gpu.go:41-42, llm/memory.go:193; 0.20.0 ml/device.go:348-353).
   */
  minimumMemory: { discrete: number; metal: number } | null;
  /** OLLAMA_GPU_OVERHEAD is reserved on every GPU in the fit (0.6.8 llm/memory.go:103; 0.20.0 llm/server.go:1029-1033); E3 ignores it. */
  overheadPerGpu: boolean;
  /** VRAM-recovery threshold (waitForVRAMRecovery): 0.8 before v0.12.6 (0.12.5 sched.go:667), 0.75 from (0.12.6 :671). */
  recoveryThreshold: number;
}

/** "0.6.8" → [0, 6, 8]. */
function parts(v: string): [number, number, number] {
  const [a, b, c] = v.split('.').map(Number);
  return [a!, b!, c!];
}

/** Negative, zero or positive as a is older, the same or newer than b. */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

const atLeast = (v: string, since: string): boolean => compareVersions(v, since) >= 0;

export function eraOf(version: string): Era {
  if (atLeast(version, '0.30.0')) return 'E3';
  if (atLeast(version, '0.11.5')) return 'E2';
  return 'E1';
}

/** The rules of a supported version (see parseVersion for the user's text). */
export function versionProfile(version: string = CURRENT_VERSION): VersionProfile {
  const v = version;
  const e3 = atLeast(v, '0.30.0');
  return {
    version: v,
    era: eraOf(v),
    fastPath: atLeast(v, '0.11.5'),
    asyncLoad: !atLeast(v, '0.11.5'),
    joinsLoad: atLeast(v, '0.11.5') && !e3,
    loadOomRetry: e3,
    wholeSecondKeepAlive: !atLeast(v, '0.11.8'),
    unloadShortcut: atLeast(v, '0.3.11'),
    unloadWaitsForLoad: !e3,
    defaultContext: atLeast(v, '0.15.5') ? 0 : atLeast(v, '0.6.7') ? 4096 : 2048,
    contextAutoNormalised: e3,
    autoNumParallel: atLeast(v, '0.10.0') ? 1 : atLeast(v, '0.6.7') ? 2 : 4,
    fitThreshold: e3 ? 0.8 : 1,
    overheadPerGpu: !e3,
    cpuRamCheck: !e3,
    batchSurcharge: e3,
    minimumMemory: e3 ? null : { discrete: 457 * MiB, metal: 512 * MiB },
    randomVictimTies: !atLeast(v, '0.6.6'),
    recoveryThreshold: atLeast(v, '0.12.6') ? 0.75 : 0.8,
  };
}

export type ParsedVersion = { ok: true; version: string } | { ok: false; nearest: string };

/**
 * The user's `version`: "0.6.8" or "v0.6.8", a release tag from the bundled
 * list. Anything else — a release candidate, an E0 version, a version that was
 * never released, a YAML number (0.30 reads as 0.3) — is refused with the
 * nearest supported version.
 */
export function parseVersion(raw: unknown): ParsedVersion {
  const text = String(raw).trim().replace(/^v/i, '');
  if (typeof raw === 'string' && OLLAMA_VERSIONS.includes(text)) return { ok: true, version: text };
  return { ok: false, nearest: nearestVersion(text) };
}

/** The supported version closest to some text ("0.1.40" → 0.2.0, "0.33" → 0.32.15, "0.6.8-rc1" → 0.6.8). */
export function nearestVersion(text: string): string {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return CURRENT_VERSION;
  const want: [number, number, number] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  let best = OLLAMA_VERSIONS[0]!;
  for (const v of OLLAMA_VERSIONS) {
    const p = parts(v);
    if (p[0] < want[0] || (p[0] === want[0] && (p[1] < want[1] || (p[1] === want[1] && p[2] <= want[2])))) best = v;
  }
  return best;
}

/** In words, how a version's rules differ from the current one (explain, README); [] for E3 versions. */
export function differences(p: VersionProfile): string[] {
  const out: string[] = [];
  if (!p.fastPath) out.push('no fast path: every request is queued, MAX_QUEUE counts all, a loaded model\'s request waits behind an eviction');
  if (p.asyncLoad) out.push('asynchronous loads: a loaded model\'s request passes a load; a new model whose GPUs are loading is re-queued 250 ms later');
  if (p.joinsLoad) out.push('a request for the model being loaded joins the load, ahead of the queue');
  if (!p.loadOomRetry) out.push('no load-OOM retry: a load that runs out of memory is a 500');
  if (p.wholeSecondKeepAlive) out.push('keep_alive numbers truncated to whole seconds (0.9 → 0)');
  if (!p.unloadShortcut) out.push('no unload shortcut: an empty keep_alive 0 request loads the model, then it unloads');
  if (p.unloadWaitsForLoad) out.push('an unload request during a load marks the runner once loaded');
  if (p.defaultContext > 0) out.push(`default context ${p.defaultContext} (no VRAM tiers)`);
  if (!p.contextAutoNormalised) out.push('num_ctx compared as a plain number (explicit = default when equal)');
  if (p.autoNumParallel > 1) out.push(`OLLAMA_NUM_PARALLEL unset = ${p.autoNumParallel} slots when the model fits with them, else 1`);
  if (p.fitThreshold !== FIT_THRESHOLD_E3) out.push('a 2nd model must fit fully (no 80 % pre-flight)');
  if (p.overheadPerGpu) out.push('OLLAMA_GPU_OVERHEAD reserved on every GPU');
  if (p.minimumMemory) out.push('457 MiB (Metal 512 MiB) of minimum memory set aside on every GPU');
  if (!p.batchSurcharge) out.push('no automatic batch surcharge on P');
  if (p.randomVictimTies) out.push('equal keep_alive victims in random order (not by name)');
  if (p.cpuRamCheck) out.push('on a CPU-only host a 2nd model must fit in free RAM, else one is evicted');
  if (p.recoveryThreshold !== 0.75) out.push(`VRAM recovery at ${p.recoveryThreshold * 100} % (not modelled: U is the host's)`);
  return out;
}

const FIT_THRESHOLD_E3 = 0.8;

/**
 * The first release whose envconfig reads each OLLAMA_* variable the simulator
 * models (`git show TAG:envconfig/config.go`); the others are read from v0.2.0.
 * An older server ignores the variable, and so does the run.
 */
const ENV_SINCE: Readonly<Record<string, string>> = {
  OLLAMA_LOAD_TIMEOUT: '0.3.10',
  OLLAMA_GPU_OVERHEAD: '0.3.10',
  OLLAMA_KV_CACHE_TYPE: '0.5.0',
  OLLAMA_CONTEXT_LENGTH: '0.5.13',
};

/** The version from which Ollama reads this variable, or null if this one does. */
export function envReadFrom(version: string, name: string): string | null {
  const since = ENV_SINCE[name];
  return since !== undefined && compareVersions(version, since) < 0 ? since : null;
}

/** The server settings as this version sees them: variables it does not read are dropped. */
export function envForVersion<T>(version: string, server: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(server).filter(([name]) => envReadFrom(version, name) === null));
}
