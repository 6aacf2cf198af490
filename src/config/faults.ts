import { msg } from '../diag/index.js';
import type { Path, YamlSource } from './yaml-source.js';
import type { FaultFile, RetryFile } from './schema.js';
import type { ResolvedCandidate } from './types.js';

type Duration = (v: unknown, p: Path) => number;
type Size = (v: unknown, p: Path) => number;

/** `faults:` → timed faults and load-crash periods, each checked at its line. */
export function resolveFaults(
  src: YamlSource, list: FaultFile[] | undefined, path: Path, models: readonly string[], duration: Duration, size: Size,
): Pick<ResolvedCandidate, 'faults' | 'loadCrashes' | 'loadStalls' | 'reserveChanges'> {
  const faults: ResolvedCandidate['faults'] = [];
  const loadCrashes: ResolvedCandidate['loadCrashes'] = [];
  const loadStalls: ResolvedCandidate['loadStalls'] = [];
  const reserveChanges: ResolvedCandidate['reserveChanges'] = [];
  (list ?? []).forEach((f, i) => {
    const at: Path = [...path, i];
    const model = (): number => {
      if (f.model === undefined) throw src.error([...at, 'model'], msg.missing());
      const m = models.indexOf(f.model);
      if (m < 0) throw src.error([...at, 'model'], msg.unknownModel(f.model, models));
      return m;
    };
    const time = (key: 'at' | 'from' | 'until' | 'after', fallback?: number): number => {
      const v = f[key];
      if (v === undefined) {
        if (fallback === undefined) throw src.error([...at, key], msg.missing());
        return fallback;
      }
      return duration(v, [...at, key]);
    };
    if (f.kind === 'load_crash') {
      loadCrashes.push({ model: model(), from: time('from', 0), until: time('until', Infinity), after: time('after', 0) });
    } else if (f.kind === 'load_stall') {
      loadStalls.push({ model: model(), from: time('from', 0), until: time('until', Infinity) });
    } else if (f.kind === 'reserve') {
      if (f.vram === undefined) throw src.error([...at, 'vram'], msg.missing());
      reserveChanges.push({ at: time('at'), gpu: f.gpu ?? 0, bytes: size(f.vram, [...at, 'vram']), index: i });
    } else {
      faults.push({ kind: f.kind, at: time('at'), model: f.kind === 'runtime_oom' ? model() : 0 });
    }
  });
  faults.sort((a, b) => a.at - b.at);
  return { faults, loadCrashes, loadStalls, reserveChanges };
}

/** A `reserve` fault must name a GPU the candidate's host has (checked once the host is known). */
export function checkReserveGpus(src: YamlSource, c: Pick<ResolvedCandidate, 'reserveChanges' | 'host'>, path: Path): void {
  for (const r of c.reserveChanges ?? []) {
    if (r.gpu >= c.host.gpus.length) throw src.error([...path, r.index, 'gpu'], msg.noSuchGpu(r.gpu, c.host.gpus.length));
  }
}

export function resolveRetry(src: YamlSource, r: RetryFile | null | undefined, path: Path, duration: Duration): ResolvedCandidate['retry'] {
  if (!r) return null;
  if (!Number.isInteger(r.attempts) || r.attempts < 1) throw src.error([...path, 'attempts'], msg.notPositiveInt(String(r.attempts)));
  return { attempts: r.attempts, backoff: duration(r.backoff, [...path, 'backoff']) };
}
