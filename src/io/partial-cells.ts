import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../config/types.js';
import type { CandidateSummary } from '../metrics/index.js';

/**
 * Finished sweep runs kept in `DIR.partial/` (beside the --out folder, which an
 * unfinished sweep never touches), one file per (scenario hash, cell,
 * replication), written the moment the run ends. `--resume` takes them back:
 * a run is deterministic given its scenario, cell and seed, so the final files
 * are the same bytes as an uninterrupted sweep's. Distributed sweeps key their
 * runs the same way.
 */
export class PartialCells {
  readonly dir: string;

  constructor(outDir: string, readonly hash: string) {
    this.dir = join(partialDir(outDir), hash);
  }

  /** A kept run, if any (and if it is the run of that cell: same candidate). */
  get(cell: number, replication: number, candidate: string): CandidateSummary | undefined {
    const file = join(this.dir, runFile(cell, replication));
    if (!existsSync(file)) return undefined;
    try {
      const kept = JSON.parse(readFileSync(file, 'utf8'), revive) as { candidate: string; summary: CandidateSummary };
      return kept.candidate === candidate ? kept.summary : undefined;
    } catch {
      return undefined; // a file cut short by a crash: run it again
    }
  }

  put(cell: number, replication: number, candidate: string, summary: CandidateSummary): void {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, runFile(cell, replication));
    writeFileSync(`${file}.tmp`, JSON.stringify({ candidate, cell, replication, summary }, keep));
    renameSync(`${file}.tmp`, file);
  }

  /** How many runs are kept for this scenario. */
  count(): number {
    return existsSync(this.dir) ? readdirSync(this.dir).filter((f) => f.endsWith('.json')).length : 0;
  }

  /** After the sweep's files are in place: its kept runs go, and DIR.partial/ too once empty. */
  clear(outDir: string): void {
    rmSync(this.dir, { recursive: true, force: true });
    const root = partialDir(outDir);
    if (existsSync(root) && readdirSync(root).length === 0) rmdirSync(root);
  }
}

export const partialDir = (outDir: string) => `${outDir.replace(/[\\/]+$/, '')}.partial`;

const runFile = (cell: number, replication: number) => `cell${cell + 1}-rep${replication + 1}.json`;

/**
 * What makes a sweep's runs what they are: the tool's version, the scenario as
 * written, the axes, the request limit and the trace it loaded (the bytes of
 * its columns, so an edited trace file is never mistaken for the old one).
 */
export function scenarioHash(version: string, scenarioText: string, base: ResolvedScenario, extra: unknown): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ version, extra, seed: base.seed, candidates: base.candidates.map((c) => c.name) }));
  h.update(scenarioText);
  const t = base.trace;
  for (const col of [t.at, t.model, t.duration, t.keepAlive, t.numCtx, t.timeout, t.op, t.promptTokens, t.outputTokens]) {
    h.update(col ? new Uint8Array(col.buffer, col.byteOffset, col.byteLength) : new Uint8Array(1));
  }
  if (t.ids) h.update(JSON.stringify(t.ids));
  return h.digest('hex').slice(0, 16);
}

/** JSON keeps NaN, ±Infinity and -0 as tagged values, so a resumed run's figures are the very numbers it produced. */
function keep(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v) || !Number.isFinite(v) || Object.is(v, -0)) return { $num: String(Object.is(v, -0) ? '-0' : v) };
  return v;
}

function revive(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $num?: unknown }).$num === 'string') {
    return Number((v as { $num: string }).$num);
  }
  return v;
}
