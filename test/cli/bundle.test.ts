import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';

/**
 * The CLI users run is the esbuild bundle (package.json bin, npm start:
 * src/cli/bundle.ts); it must write the very bytes the compiled modules
 * write, worker threads included (CSV writer, charts, sweep workers). Both are
 * made by `npm run build`, which `npm ci` runs (prepare).
 */
const root = resolve(import.meta.dirname, '../..');
const bundled = join(root, 'dist/bundle/cli/main.js');
const modules = join(root, 'dist/src/cli/main.js');
const built = existsSync(bundled) && existsSync(modules);

test.skipIf(!built)('the bundled CLI writes the same files as the compiled modules (run --out with every thread, sweep --jobs 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-bundle-'));
  try {
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, `name: bundle check
seed: 3
host: { gpus: [ { vram: 24GiB } ] }
models: { a: { vram: 9GiB, load: 2s }, b: { vram: 12GiB, load: 3s } }
workload:
  synthetic:
    length: 2h
    models:
      a: { rate: 300/h, duration: 2 }
      b: { rate: 200/h, duration: { median: 1, p95: 6 } }
candidates:
  - { name: five minutes, server: { OLLAMA_KEEP_ALIVE: 5m } }
  - { name: at once, server: { OLLAMA_KEEP_ALIVE: "0" } }
`);
    const env = { ...process.env, CI: 'true' };
    for (const [cli, out] of [[bundled, 'b'], [modules, 'm']] as const) {
      execFileSync(process.execPath, [cli, 'run', scenario, '--out', join(dir, out), '--no-png'], { env, stdio: 'ignore' });
    }
    for (const f of ['summary.json', 'requests.csv', 'events.csv', 'report.html', 'timeline.json', 'charts/vram.svg']) {
      expect(readFileSync(join(dir, 'b', f)).equals(readFileSync(join(dir, 'm', f))), f).toBe(true);
    }
    const sweep = (cli: string) => execFileSync(process.execPath, [cli, 'sweep', scenario, '--grid', 'OLLAMA_NUM_PARALLEL=1,2', '--jobs', '2', '--json'], { env, encoding: 'utf8' });
    expect(sweep(bundled)).toBe(sweep(modules));
    expect(execFileSync(process.execPath, [bundled, '--version'], { encoding: 'utf8' }).trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test.skipIf(!built)('a run large enough for the CSV writer thread prints nothing but its table and warnings of its own (no Node warning about the thread\'s files)', async () => {
  const { spawnSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-bundle-'));
  try {
    writeFileSync(join(dir, 's.yaml'), `name: writer thread
host: { gpus: [ { vram: 24GiB } ] }
models: { a: { vram: 9GiB, load: 2s }, b: { vram: 12GiB, load: 3s } }
workload:
  synthetic:
    length: 3h
    models: { a: { rate: 60000/h, duration: 0.02 }, b: { rate: 40000/h, duration: 0.02 } }
`);
    const r = spawnSync(process.execPath, [bundled, 'run', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--no-png'], { env: { ...process.env, CI: 'true' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out', 'requests.csv'), 'utf8').split('\n').length).toBeGreaterThan(262_144); // on the writer thread (run-outputs.ts THREAD_FROM)
    expect(r.stderr).not.toMatch(/\(node:\d+\)|Warning:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test.skipIf(!built)('the build bundles the charting stack into one file with a V8 code cache this Node accepts (charting-stack.ts)', async () => {
  const { cacheAccepted } = await import('../../src/io/charting-stack.js');
  const bundle = join(root, 'dist/bundle/charting/vega.cjs');
  const cache = join(root, 'dist/bundle/charting/vega.cache');
  expect(existsSync(bundle) && existsSync(cache)).toBe(true);
  expect(cacheAccepted(bundle, cache)).toBe(true);
  // A cache made for other code is refused (and then V8 compiles as usual): the check can fail.
  const other = join(mkdtempSync(join(tmpdir(), 'ollamasim-bundle-')), 'other.cjs');
  writeFileSync(other, 'module.exports = 1;\n');
  expect(cacheAccepted(other, cache)).toBe(false);
});

test.skipIf(!built)('a damaged charting bundle is passed over: the stack then comes from node_modules and draws the same chart', async () => {
  const { loadChartingStack } = await import('../../src/io/charting-stack.js');
  const { pathToFileURL } = await import('node:url');
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-bundle-'));
  const bundle = join(root, 'dist/bundle/charting/vega.cjs');
  const broken = join(dir, 'vega.cjs');
  writeFileSync(broken, readFileSync(bundle).subarray(0, 100_000));
  const spec = { data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } };
  const svg = async ({ vega, vl }: Awaited<ReturnType<typeof loadChartingStack>>) => new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' }).toSVG();
  const fromBundle = await loadChartingStack(pathToFileURL(bundle), pathToFileURL(join(root, 'dist/bundle/charting/vega.cache')));
  const fromBroken = await loadChartingStack(pathToFileURL(broken), pathToFileURL(join(dir, 'none.cache')));
  expect(fromBroken.vega).not.toBe(fromBundle.vega);
  expect(await svg(fromBroken)).toBe(await svg(fromBundle));
});
