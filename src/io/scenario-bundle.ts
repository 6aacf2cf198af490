import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';

/**
 * A scenario as it travels to a sweep worker on another machine: the scenario
 * file and every file it reads (workload.trace, workload.sources[].file), each
 * by the SHA-256 of its bytes, laid out relative to their common folder so that
 * the scenario's relative paths still point at them. A worker fetches each file
 * once by its hash and keeps it, so a trace shared by many sweeps travels once.
 */
export interface BundleFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface ScenarioBundle {
  /** The scenario file, relative to the bundle's root. */
  entry: string;
  files: BundleFile[];
  /** Hash of entry and files: names the bundle. */
  sha256: string;
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** The bundle of a scenario file, and the bytes of each file by hash. */
export function bundleScenario(file: string): { bundle: ScenarioBundle; contents: Map<string, Buffer> } {
  const scenario = resolve(file);
  const paths = [scenario, ...referencedFiles(scenario)];
  const root = commonFolder(paths.map(dirname));
  const contents = new Map<string, Buffer>();
  const files = paths.map((p) => {
    const bytes = readFileSync(p);
    const hash = sha256(bytes);
    contents.set(hash, bytes);
    return { path: relative(root, p).split(sep).join('/'), sha256: hash, bytes: bytes.length };
  });
  const entry = files[0]!.path;
  const hash = sha256(JSON.stringify({ entry, files }));
  return { bundle: { entry, files, sha256: hash }, contents };
}

/**
 * Lays a bundle out under `cache` (blobs by hash, then the bundle's own folder)
 * and returns the scenario's path there. Blobs already in the cache are not
 * fetched again; files are written under a temporary name and renamed, so a
 * worker killed half-way never leaves a truncated trace behind.
 */
export async function materializeBundle(cache: string, bundle: ScenarioBundle, fetchBlob: (sha: string) => Promise<Buffer>): Promise<string> {
  const folder = join(cache, 'bundles', bundle.sha256);
  for (const f of bundle.files) {
    const blob = join(cache, 'blobs', f.sha256);
    if (!existsSync(blob)) {
      const bytes = await fetchBlob(f.sha256);
      if (sha256(bytes) !== f.sha256) throw new Error(`the queue's copy of ${f.path} does not match its hash`);
      atomicWrite(blob, bytes);
    }
    const target = join(folder, ...f.path.split('/'));
    if (!target.startsWith(folder + sep)) throw new Error(`bundle path ${f.path} leaves its folder`);
    if (!existsSync(target)) atomicWrite(target, readFileSync(blob));
  }
  return join(folder, ...bundle.entry.split('/'));
}

function atomicWrite(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

/** The files a scenario reads besides itself. The loader reports any it cannot read. */
function referencedFiles(scenario: string): string[] {
  let doc: unknown;
  try {
    doc = parse(readFileSync(scenario, 'utf8'));
  } catch {
    return [];
  }
  const workload = (doc as { workload?: { trace?: unknown; sources?: { file?: unknown }[] } } | null)?.workload;
  const names: unknown[] = [workload?.trace, ...(Array.isArray(workload?.sources) ? workload.sources.map((s) => s?.file) : [])];
  const near = (f: string) => (isAbsolute(f) ? f : resolve(dirname(scenario), f));
  return [...new Set(names.filter((n): n is string => typeof n === 'string').map(near))].filter((p) => existsSync(p));
}

function commonFolder(folders: string[]): string {
  let root = folders[0]!;
  while (!folders.every((f) => f === root || f.startsWith(root.endsWith(sep) ? root : root + sep))) root = dirname(root);
  return root;
}
