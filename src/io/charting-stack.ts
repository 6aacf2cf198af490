import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';

export interface ChartingStack {
  vega: typeof Vega;
  vl: typeof VegaLite;
}

/**
 * Where `npm run build` puts the charting stack as one CommonJS file, and the
 * V8 code cache made for it by drawing sample charts (src/cli/bundle.ts).
 * Beside the bundled CLI only: from the compiled modules or the TypeScript
 * sources (tests) the stack is imported from node_modules as before.
 */
const BUNDLE = new URL('../charting/vega.cjs', import.meta.url);
const CACHE = new URL('../charting/vega.cache', import.meta.url);

/**
 * Loads vega and vega-lite. Importing them from node_modules reads and
 * compiles ~60 files (0.15 s); the bundle with its code cache loads in 0.03 s
 * and its first charts skip compiling what the sample charts compiled. The
 * code is the same either way, so are the charts' bytes (bundle.test.ts). A
 * cache V8 does not accept (another Node version) is ignored: V8 compiles
 * the file as usual.
 */
export async function loadChartingStack(bundle: URL = BUNDLE, cache: URL = CACHE): Promise<ChartingStack> {
  if (existsSync(bundle)) {
    try {
      return runBundle(bundle, existsSync(cache) ? readFileSync(cache) : undefined);
    } catch {
      // A damaged build (a truncated bundle): the packages themselves draw the same charts.
    }
  }
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  return { vega, vl };
}

let loaded: vm.Script | null = null;

function runBundle(bundle: URL, cachedData?: Buffer): ChartingStack {
  const file = fileURLToPath(bundle);
  const script = compileBundle(file, cachedData);
  const module = { exports: {} as ChartingStack };
  (script.runInThisContext() as (e: object, r: NodeRequire, m: object) => void)(module.exports, createRequire(file), module);
  loaded = script;
  return module.exports;
}

/**
 * The build's cache step (src/cli/charting-cache.ts), after drawing sample
 * charts with the bundled stack: writes V8's code for every function compiled
 * so far beside the bundle. False when the stack did not come from the bundle.
 */
export function writeChartingCache(): boolean {
  if (!loaded) return false;
  writeFileSync(CACHE, loaded.createCachedData());
  return true;
}

/** The bundle wrapped as Node wraps CommonJS (it requires only Node's own modules: fs, for vega's file loader). */
function compileBundle(file: string, cachedData?: Buffer): vm.Script {
  const source = `(function (exports, require, module) {${readFileSync(file, 'utf8')}\n})`;
  return new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
}

/** Whether V8 takes `cache` as the compiled code of `bundle` (tests: the build's cache fits this Node). */
export function cacheAccepted(bundle: string, cache: string): boolean {
  return compileBundle(bundle, readFileSync(cache)).cachedDataRejected === false;
}
