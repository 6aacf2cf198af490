import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileError, InputError } from '../diag/index.js';

/** The list of what a run wrote into DIR, so the next run knows which files are its own. */
export const MANIFEST = 'manifest.json';

/** Every name ollamasim writes into an --out folder: its own files where no manifest says. */
const OUTPUT_NAME = /^(summary\.json|requests\.(csv|parquet)|events\.(csv|parquet)|report\.html|whatif\.html|timeline\.json|cells\.csv|plan\.txt|manifest\.json|charts\/[^/]+\.(svg|png))$/;

/**
 * An --out folder that never misleads and never destroys. A run writes into a
 * temporary folder beside DIR and, only once it is complete, moves its files
 * into DIR with a manifest of what it wrote. It replaces only files of its own
 * (those the previous manifest lists, or ollamasim's output names where there is
 * none) and removes those of them it did not write this time (a --summary-only
 * run leaves no old requests.csv behind). Nothing else in DIR is touched; an
 * interrupted or failed run leaves DIR as it was.
 */
export class OutDir {
  private done = false;

  private constructor(readonly dir: string, readonly tmp: string) {}

  /** Checks DIR can be written (a clear error, exit 2, before any work) and makes the temporary folder beside it. */
  static open(dir: string): OutDir {
    const parent = dirname(resolve(dir));
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw fileError(dir, 'NOTDIR', true);
    try {
      mkdirSync(parent, { recursive: true });
      return new OutDir(dir, mkdtempSync(join(parent, `.${basename(resolve(dir))}.ollamasim-`)));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      // mkdir of /dev/null/x's parent: a file stands where a folder should be.
      throw fileError(dir, code === 'EEXIST' ? 'ENOTDIR' : code, true);
    }
  }

  /** Where the writers put their files until commit(). */
  get path(): string {
    return this.tmp;
  }

  /** Moves the finished files into DIR, writes the manifest, removes own stale files; returns what it wrote. */
  commit(command: string, version: string): string[] {
    const written = listFiles(this.tmp).sort();
    try {
      mkdirSync(this.dir, { recursive: true });
      const previous = ownFiles(this.dir);
      const clash = written.find((f) => existsSync(join(this.dir, f)) && !previous.has(f));
      if (clash) throw new InputError({ file: join(this.dir, clash), line: 0, field: '(file)', problem: 'exists and is not an ollamasim output (not in its manifest)', hint: 'move it away, or give --out another folder' });
      for (const f of written) {
        mkdirSync(dirname(join(this.dir, f)), { recursive: true });
        move(join(this.tmp, f), join(this.dir, f));
      }
      for (const f of previous) if (!written.includes(f) && f !== MANIFEST) removeFile(this.dir, f);
      const manifest = JSON.stringify({ tool: 'ollamasim', version, command, files: written }, null, 2) + '\n';
      writeFileSync(join(this.tmp, MANIFEST), manifest);
      move(join(this.tmp, MANIFEST), join(this.dir, MANIFEST));
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw fileError(this.dir, (e as NodeJS.ErrnoException).code ?? String(e), true);
    } finally {
      this.abort();
    }
    this.done = true;
    return written;
  }

  /** Removes the temporary folder (after commit, or when the run failed or was interrupted). */
  abort(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }

  get committed(): boolean {
    return this.done;
  }
}

/** Files (relative paths, / separated) under a folder. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

/** The previous run's files: its manifest's list, or where there is none, the files bearing ollamasim's output names. */
function ownFiles(dir: string): Set<string> {
  const manifest = join(dir, MANIFEST);
  if (existsSync(manifest)) {
    try {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as { tool?: unknown; files?: unknown };
      if (m.tool === 'ollamasim' && Array.isArray(m.files)) {
        return new Set([...m.files.filter((f): f is string => typeof f === 'string' && safeName(f)), MANIFEST]);
      }
    } catch {
      // Not ours after all: fall back to the output names.
    }
  }
  return new Set(listFiles(dir).filter((f) => OUTPUT_NAME.test(f)));
}

/** A manifest entry names a file inside DIR, never ../ or an absolute path. */
const safeName = (f: string) => f !== '' && !f.startsWith('/') && !f.split('/').includes('..');

function removeFile(dir: string, f: string): void {
  rmSync(join(dir, f), { force: true });
  // A charts/ folder our files alone filled goes with them.
  const sub = dirname(join(dir, f));
  if (sub !== resolve(dir) && sub !== dir && existsSync(sub) && readdirSync(sub).length === 0) rmdirSync(sub);
}

/** rename, or copy and delete across file systems. */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to);
    unlinkSync(from);
  }
}
