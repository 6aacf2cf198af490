import type { CandidateSummary, Pathology } from '../metrics/index.js';

/**
 * The scheduler pathologies the advisor's detector records, in words: what
 * each kind is, which Ollama issue it is, and one warning line per candidate,
 * so a p95 of 10,000 s is explained by the report itself.
 */
export const PATHOLOGY_NAMES: Record<string, { name: string; what: string }> = {
  resurrection: {
    name: 'resurrection hang',
    what: 'a runner marked for eviction is revived by a client-sent keep_alive, and the scheduler keeps waiting for an unload that never comes while every new request resets its timer',
  },
  reload_starvation: {
    name: 'reload starvation',
    what: 'a queued reload waits while the old runner keeps serving requests through the fast path, so it never goes idle',
  },
  head_of_line: {
    name: 'head-of-line blocking',
    what: 'a request that would fit waits in the queue behind another that is waiting for an eviction',
  },
};

export const pathologyName = (kind: string) => PATHOLOGY_NAMES[kind]?.name ?? kind.replaceAll('_', ' ');

export const pathologiesOf = (s: CandidateSummary): Pathology[] => (s.pathologies ?? []).filter((p) => p.requests > 0 || p.wait_s > 0);

/** "resurrection hang (ollama#17408)" for the table's flag column; empty when none. */
export function pathologyFlag(s: CandidateSummary): string {
  return pathologiesOf(s).map((p) => `${pathologyName(p.kind)} (${p.issue})`).join('; ');
}

export function pathologyWarnings(summaries: readonly CandidateSummary[]): string[] {
  return summaries.flatMap((s) => pathologiesOf(s).map((p) =>
    `${s.candidate}: ${pathologyName(p.kind)} (${p.issue}): ${p.requests} request${p.requests === 1 ? '' : 's'} waited on it, ${formatWait(p.wait_s)} in all — ${PATHOLOGY_NAMES[p.kind]?.what ?? 'a known Ollama scheduler pathology'}`));
}

export function formatWait(s: number): string {
  if (s >= 86400) return `${(s / 86400).toFixed(1)} days`;
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${(s / 60).toFixed(1)} min`;
  return `${s.toFixed(1)} s`;
}
