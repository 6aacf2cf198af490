/**
 * Ctrl-C during a sweep (issue 13): the child gets SIGINT part-way, exits 130,
 * gives the terminal back (cursor shown, line wrap on), leaves --out DIR as it
 * was and keeps its finished runs in DIR.partial/; --resume then ends with the
 * very bytes of an uninterrupted sweep.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const main = join(root, 'src/cli/main.ts');
// One process (no tsx CLI in between), so the signal reaches ollamasim itself.
const node = (args: string[]) => [process.execPath, ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, main, ...args]] as const;
const env = { ...process.env, CI: 'true', NO_COLOR: '1', OLLAMASIM_PROGRESS: 'always' };

const SCENARIO = `name: interrupt check
host: { gpus: [ { vram: 24GiB } ] }
models: { a: { vram: 5GiB, load: 2s }, b: { vram: 6GiB, load: 3s } }
workload:
  synthetic:
    length: 12h
    models:
      a: { rate: 2000/h, duration: 0.5 }
      b: { rate: 1000/h, duration: 1 }
sweep: { OLLAMA_KEEP_ALIVE: [0, 1m, 5m, 30m, -1] }
`;
const ARGS = ['sweep', 's.yaml', '--replications', '3', '--jobs', '1'];

function files(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) Object.assign(out, files(join(dir, e.name), `${prefix}${e.name}/`));
    else out[`${prefix}${e.name}`] = readFileSync(join(dir, e.name), 'latin1');
  }
  return out;
}

const kept = (dir: string) => (existsSync(dir) ? readdirSync(dir).flatMap((h) => readdirSync(join(dir, h))) : []);

test('SIGINT to a child sweep: exit 130, terminal restored, DIR untouched, finished runs kept; --resume gives the uninterrupted bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-sigint-'));
  writeFileSync(join(dir, 's.yaml'), SCENARIO);
  // DIR holds something of the user's: an interrupted sweep must not touch it.
  mkdirSync(join(dir, 'out'));
  writeFileSync(join(dir, 'out/notes.txt'), 'mine\n');

  const [cmd, args] = node([...ARGS, '--out', 'out']);
  const child = spawn(cmd, args, { cwd: dir, env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // Interrupt once two runs are kept (polling the folder, not the clock).
  while (kept(join(dir, 'out.partial')).length < 2) {
    if (child.exitCode !== null) throw new Error(`sweep ended before it could be interrupted: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(stderr).toContain('\x1b[?25h\x1b[?7h');
  expect(stderr).toMatch(/sweeping \|.*\| \d+% \d+\/15 runs/); // the bar counts runs (cell × replication), not requests
  expect(stderr).toMatch(/interrupted: out left as it was; \d+ finished runs? kept in out\.partial\/[0-9a-f]{16} \(the same command with --resume continues from them\)\n$/);
  expect(files(join(dir, 'out'))).toEqual({ 'notes.txt': 'mine\n' });
  const keptRuns = kept(join(dir, 'out.partial'));
  expect(keptRuns.length).toBeGreaterThanOrEqual(2);
  expect(keptRuns.length).toBeLessThan(15);
  expect(readdirSync(dir).filter((f) => f.includes('ollamasim-'))).toEqual([]); // no temporary folder left

  const [c2, a2] = node([...ARGS, '--out', 'out', '--resume']);
  const resumed = spawnSync(c2, a2, { cwd: dir, env, encoding: 'utf8' });
  expect(resumed.status).toBe(0);
  expect(existsSync(join(dir, 'out.partial'))).toBe(false);

  const [c3, a3] = node([...ARGS, '--out', 'whole']);
  expect(spawnSync(c3, a3, { cwd: dir, env, encoding: 'utf8' }).status).toBe(0);
  const whole = files(join(dir, 'whole'));
  expect(Object.keys(whole)).toContain('cells.csv');
  expect(files(join(dir, 'out'))).toEqual({ ...whole, 'notes.txt': 'mine\n' });
}, 240_000);
