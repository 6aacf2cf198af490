/**
 * The command line's manners (issue 13): a usage mistake is one line and exit
 * 2, a closed pipe is no crash, --version answers, an --out that cannot be
 * written is said in words before any work, and --out never misleads: files
 * move in only when complete, with a manifest, replacing only ollamasim's own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function cli(args: string[], cwd: string) {
  return spawnSync(tsx, [main, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
}

const SCENARIO = `name: hygiene
host: { gpus: [ { vram: 24GiB } ] }
models: { A: { vram: 5GiB, load: 2s } }
workload:
  requests:
    - { at: 0, model: A, duration: 3 }
    - { at: 400, model: A, duration: 1 }
`;

function workdir(files: Record<string, string> = { 's.yaml': SCENARIO }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ollamasim-hygiene-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function listAll(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listAll(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]).sort();
}

const oneLine = (r: { status: number | null; stderr: string; stdout: string }, status: number, text: string | RegExp) => {
  expect(r.status).toBe(status);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  if (typeof text === 'string') expect(r.stderr.trim()).toBe(text);
  else expect(r.stderr.trim()).toMatch(text);
  expect(r.stderr).not.toMatch(/Usage:|at .*\.ts:\d+/);
};

describe('usage mistakes: one line, exit 2', () => {
  const dir = workdir();
  test('an unknown option, with the near name', () => {
    oneLine(cli(['run', 's.yaml', '--ot', 'x'], dir), 2, "ollamasim: unknown option '--ot' (did you mean --out?)");
    oneLine(cli(['run', 's.yaml', '--bogus'], dir), 2, /^ollamasim: unknown option '--bogus' \(/);
  });
  test('an unknown command and a missing argument', () => {
    oneLine(cli(['runn', 's.yaml'], dir), 2, "ollamasim: unknown command 'runn' (did you mean run?)");
    oneLine(cli(['run'], dir), 2, /^ollamasim: missing required argument 'scenario'/);
  });
  test('a command-line number out of its range, before anything is allocated', () => {
    oneLine(cli(['plan', 's.yaml', '--slo', 'p95<=3s', '--max-gpus', '1e9'], dir), 2, '(command line): --max-gpus: 1e9 is out of range (a whole number from 1 to 1024)');
    oneLine(cli(['sweep', 's.yaml', '--replications', 'Infinity'], dir), 2, '(command line): --replications: Infinity is out of range (a whole number from 1 to 10000)');
    oneLine(cli(['run', 's.yaml', '--max-requests', '-0'], dir), 2, '(command line): --max-requests: -0 is out of range (a whole number from 1 to 2147483647)');
    oneLine(cli(['plan', 's.yaml', '--slo', 'p95<=3s', '--hosts', '1,NaN'], dir), 2, '(command line): --hosts: "NaN" is not a number');
    oneLine(cli(['sweep', 's.yaml', '--resume'], dir), 2, /^\(command line\): --resume: needs --out/);
  });
  test('--version and --help answer, exit 0', () => {
    const v = cli(['--version'], dir);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    expect(cli(['run', '--help'], dir).status).toBe(0);
  });
});

describe('pipes and files', () => {
  test('ollamasim gpus | head -2: no EPIPE stack trace', () => {
    const r = spawnSync('sh', ['-c', `"${tsx}" "${main}" gpus | head -2; echo "exit=\${PIPESTATUS:-$?}"`], { encoding: 'utf8' });
    const p = spawnSync('bash', ['-c', `set -o pipefail; "${tsx}" "${main}" gpus | head -2 >/dev/null`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
  });

  test('--out /dev/null/x: exit 2 with a clear line, before the run', () => {
    const dir = workdir();
    oneLine(cli(['run', 's.yaml', '--out', '/dev/null/x'], dir), 2, '/dev/null/x: cannot write: a part of the path is not a directory (give --out a folder you can write to)');
    oneLine(cli(['sweep', 's.yaml', '--out', 's.yaml'], dir), 2, 's.yaml: cannot write: is not a directory (give --out a folder you can write to)');
    oneLine(cli(['trace', 'synth', 's.yaml', '--out', '/dev/null/x'], dir), 2, '/dev/null/x: cannot write: a part of the path is not a directory (give --out a folder you can write to)');
  });

  test('file errors in words, without a made-up line', () => {
    const dir = workdir({ 'empty.yaml': '' });
    mkdirSync(join(dir, 'folder.yaml'));
    oneLine(cli(['run', 'nope.yaml'], dir), 2, 'nope.yaml: no such file');
    oneLine(cli(['run', 'folder.yaml'], dir), 2, 'folder.yaml: is a directory (give a file)');
    oneLine(cli(['run', 'empty.yaml'], dir), 2, 'empty.yaml: file is empty');
  });

  test('a misspelt top-level key gets its did-you-mean (not "workload: missing")', () => {
    const dir = workdir({ 's.yaml': SCENARIO.replace('workload:', 'workloads:') });
    oneLine(cli(['run', 's.yaml'], dir), 2, 's.yaml:4: workloads: unknown field "workloads" (did you mean workload?)');
  });
});

describe('--out DIR never misleads and never destroys', () => {
  test('a --summary-only run removes the previous run\'s requests.csv and events.csv, and touches nothing else', () => {
    const dir = workdir();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out/notes.txt'), 'mine\n');
    expect(cli(['run', 's.yaml', '--out', 'out'], dir).status).toBe(0);
    const first = listAll(join(dir, 'out'));
    expect(first).toEqual(expect.arrayContaining(['events.csv', 'manifest.json', 'notes.txt', 'requests.csv', 'summary.json']));
    const manifest = JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ tool: 'ollamasim', version, command: 'run' });
    expect(manifest.files).toEqual(first.filter((f) => f !== 'notes.txt' && f !== 'manifest.json'));

    expect(cli(['run', 's.yaml', '--out', 'out', '--summary-only'], dir).status).toBe(0);
    const second = listAll(join(dir, 'out'));
    expect(second).not.toContain('requests.csv');
    expect(second).not.toContain('events.csv');
    expect(second).toContain('summary.json');
    expect(readFileSync(join(dir, 'out/notes.txt'), 'utf8')).toBe('mine\n');
    expect(listAll(dir).filter((f) => f.includes('.ollamasim-'))).toEqual([]); // no temporary folder left
  });

  test('without a manifest only ollamasim\'s output names are its own; a file it did not write is never replaced', () => {
    const dir = workdir();
    mkdirSync(join(dir, 'out/charts'), { recursive: true });
    writeFileSync(join(dir, 'out/events.csv'), 'old\n'); // an old run's, from before manifests
    writeFileSync(join(dir, 'out/charts/mine.txt'), 'mine\n');
    expect(cli(['run', 's.yaml', '--out', 'out', '--summary-only'], dir).status).toBe(0);
    expect(existsSync(join(dir, 'out/events.csv'))).toBe(false);
    expect(readFileSync(join(dir, 'out/charts/mine.txt'), 'utf8')).toBe('mine\n');

    // A summary.json the previous manifest does not list is someone else's: refused, DIR unchanged.
    const before = listAll(join(dir, 'out'));
    writeFileSync(join(dir, 'out/manifest.json'), JSON.stringify({ tool: 'ollamasim', files: [] }));
    const r = cli(['run', 's.yaml', '--out', 'out'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^out\/charts\/cdf\.png: exists and is not an ollamasim output \(not in its manifest\)/);
    expect(listAll(join(dir, 'out'))).toEqual(before);
  });

  test('summary.json records each candidate\'s resolved settings: what "keep forever" was', () => {
    const dir = workdir({ 's.yaml': `${SCENARIO}candidates:\n  - { name: forever, server: { OLLAMA_KEEP_ALIVE: "-1" } }\n  - { name: 5m }\n` });
    const doc = JSON.parse(execFileSync(tsx, [main, 'run', 's.yaml', '--json'], { cwd: dir, encoding: 'utf8' }));
    const [forever, five] = doc.candidates.map((c: { settings: Record<string, { keep_alive_s: unknown }> }) => c.settings);
    expect(forever.server.keep_alive_s).toBe('forever');
    expect(five.server.keep_alive_s).toBe(300);
    expect(forever.host).toMatchObject({ gpus_gib: [24] });
    expect(forever.models.A).toMatchObject({ keep_alive_s: null, vram_gib: 5, load_s: 2 });
  });
});
