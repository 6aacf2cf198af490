import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The what-if page's two scripts (src/page/ui-main.ts and worker-main.ts),
 * bundled for the browser by esbuild: the same engine, scheduler and resolver
 * the CLI runs, compiled, never a copy. `npm run build` writes them to
 * dist/page/; from the TypeScript sources (tests, tsx) they are bundled on the
 * fly, so they always match the code under test.
 */
export interface PageScripts {
  ui: string;
  worker: string;
}

const fromTs = import.meta.url.endsWith('.ts');
const srcPage = fileURLToPath(new URL(fromTs ? '../page/' : '../../../src/page/', import.meta.url));
const built = fileURLToPath(new URL(fromTs ? '../../dist/page/' : '../../page/', import.meta.url));

let cached: Promise<PageScripts> | null = null;

export function pageScripts(): Promise<PageScripts> {
  cached ??= load();
  return cached;
}

async function load(): Promise<PageScripts> {
  if (!fromTs && existsSync(`${built}ui.js`) && existsSync(`${built}worker.js`)) {
    return { ui: readFileSync(`${built}ui.js`, 'utf8'), worker: readFileSync(`${built}worker.js`, 'utf8') };
  }
  return bundle();
}

async function bundle(): Promise<PageScripts> {
  const esbuild = await import('esbuild');
  const one = async (entry: string) => {
    const r = await esbuild.build({
      entryPoints: [`${srcPage}${entry}`], bundle: true, write: false, format: 'iife', platform: 'browser',
      target: 'es2022', minify: true, legalComments: 'none', logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    return r.outputFiles[0]!.text;
  };
  const [ui, worker] = await Promise.all([one('ui-main.ts'), one('worker-main.ts')]);
  return { ui, worker };
}

// `node dist/src/io/page-scripts.js` (npm run build): write the bundles beside the compiled code.
if (!fromTs && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await bundle();
  mkdirSync(built, { recursive: true });
  writeFileSync(`${built}ui.js`, s.ui);
  writeFileSync(`${built}worker.js`, s.worker);
}
