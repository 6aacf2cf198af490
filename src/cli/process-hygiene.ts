import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `ollamasim gpus | head -2`: when the reader goes away, stop quietly (exit 0)
 * instead of dying on an unhandled EPIPE with a stack trace.
 */
export function installPipeGuard(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      // Any other output failure (a full disk behind a redirect): one line, as for any internal error.
      process.stderr.write(`ollamasim: cannot write the output: ${e.code ?? e.message}\n`);
      process.exit(70);
    });
  }
}

/** The version in package.json: the nearest one above this file (from src/ or from dist/src/). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
