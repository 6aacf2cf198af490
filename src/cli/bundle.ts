/**
 * `npm run build` step: the compiled CLI and its worker threads bundled into
 * dist/bundle/cli/ by esbuild (one file per entry, shared code in chunks
 * beside them). Loading ~200 small modules and zod's and yaml's many files
 * took a quarter of a second before any work; the bundle loads in under half
 * that. The charting stack, resvg's native addon, Redis clients and parquet
 * stay outside and are still imported only when used.
 *
 * The bundle sits two folders below dist/, like dist/src/cli/, so the paths
 * the code finds beside itself (dist/page/, package.json) are the same; the
 * worker entries keep their names, so `new URL('./csv-worker.js',
 * import.meta.url)` finds them from any chunk.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../', import.meta.url)); // dist/src/
const ENTRIES = ['cli/main.js', 'cli/sweep-worker.js', 'cli/cell-thread.js', 'io/csv-worker.js', 'io/chart-worker.js', 'cli/charting-cache.js'];
/** Loaded on demand, large, or native: left to node_modules. */
const EXTERNAL = ['vega', 'vega-lite', 'vega-interpreter', '@resvg/resvg-js', 'bullmq', 'ioredis', 'hyparquet', 'hyparquet-writer', 'esbuild', 'tsx', 'tsx/*'];

const outdir = fileURLToPath(new URL('../../bundle/cli/', import.meta.url));
// Chunks are named by content hash: last build's would linger.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ENTRIES.map((e) => `${compiled}${e}`),
  outdir,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // CommonJS packages (seedrandom, cli-progress) call require() for Node's own modules.
  banner: { js: "import { createRequire as __ollamasimRequire } from 'node:module'; const require = __ollamasimRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
});

/**
 * The charting stack (vega and vega-lite) as one CommonJS file beside the CLI,
 * loaded by io/charting-stack.ts, and V8's code cache for it, made by drawing
 * the default scenario's charts (cli/charting-cache.ts). vega-canvas's browser
 * build stands in for its Node one: that one awaits import('canvas') at top
 * level (a package ollamasim does not install; charts use no canvas, and
 * measure text without one either way).
 */
const charting = fileURLToPath(new URL('../../bundle/charting/', import.meta.url));
rmSync(charting, { recursive: true, force: true });
await build({
  entryPoints: [`${compiled}io/charting-entry.js`],
  outfile: `${charting}vega.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  alias: { 'vega-canvas': join(dirname(createRequire(import.meta.url).resolve('vega-canvas')), 'vega-canvas.browser.js') },
  legalComments: 'linked',
  logLevel: 'warning',
});
// The cache only saves time: a build that cannot make it goes on without it (charts are compiled as drawn).
try {
  execFileSync(process.execPath, [`${outdir}charting-cache.js`], { stdio: ['ignore', 'inherit', 'inherit'] });
} catch (e) {
  process.stderr.write(`warning: no code cache for the charting stack (${(e as Error).message.split('\n')[0]}); charts are drawn the same, their first ones a little slower\n`);
}
