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
