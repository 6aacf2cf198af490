/**
 * The command line as a user runs it: exit codes, the output contract, one
 * line for bad input, and nothing written outside --out.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EVENTS_HEADER, REQUESTS_HEADER } from '../../src/io/run-outputs.js';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');

function cli(args: string[], cwd: string) {
  return spawnSync(tsx, [main, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
}

function listAll(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listAll(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

const SCENARIO = `name: contract check
server: { OLLAMA_KEEP_ALIVE: 5m }
host: { gpus: [ { vram: 24GiB } ], unload: 1s }
models:
  A: { vram: 5GiB, load: 2s }
workload:
  requests:
    - { id: r1, at: 0, model: A, duration: 3 }
    - { id: r2, at: 400, model: A, duration: 1, keep_alive: 0 }
`;

describe('ollamasim run', () => {
  test('prints the comparison, writes the contract files, and nothing outside --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-cli-'));
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const r = cli(['run', 's.yaml', '--out', 'out'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('contract check');
    const charts = ['cdf', 'gpus', 'latency', 'models', 'residency', 'tradeoff', 'vram'].flatMap((c) => [`out/charts/${c}.png`, `out/charts/${c}.svg`]);
    expect(listAll(dir).filter((f) => !f.endsWith('.png')).sort()).toEqual(
      [...charts.filter((f) => f.endsWith('.svg')), 'out/events.csv', 'out/manifest.json', 'out/report.html', 'out/requests.csv', 'out/summary.json', 'out/timeline.json', 's.yaml'].sort());
    const requests = readFileSync(join(dir, 'out/requests.csv'), 'utf8').split('\n');
    expect(requests[0]).toBe(REQUESTS_HEADER);
    expect(REQUESTS_HEADER).toBe('candidate,id,model,arrival,admitted,start,end,status,http_status,cold,latency');
    expect(requests[1]).toBe('contract check,r1,A,0,2,2,5,ok,200,1,5');
    expect(readFileSync(join(dir, 'out/events.csv'), 'utf8').split('\n')[0]).toBe(EVENTS_HEADER);
    expect(EVENTS_HEADER).toBe('candidate,t,event,model,request,reason');
    const summary = JSON.parse(readFileSync(join(dir, 'out/summary.json'), 'utf8'));
    expect(summary.candidates[0]).toMatchObject({ candidate: 'contract check', ok: 2, loads: 2 });
  });

  test('--json prints summary.json; the same seed gives the same bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-cli-'));
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const a = execFileSync(tsx, [main, 'run', 's.yaml', '--json'], { cwd: dir, encoding: 'utf8' });
    const b = execFileSync(tsx, [main, 'run', 's.yaml', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(a).candidates[0].ok).toBe(2);
    expect(a).toBe(b);
    expect(listAll(dir)).toEqual(['s.yaml']);
  });

  test('bad input: exit 2 and one line naming file, line and field — no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-cli-'));
    writeFileSync(join(dir, 's.yaml'), SCENARIO.replace('OLLAMA_KEEP_ALIVE', 'OLLAMA_KEEPALIVE'));
    const r = cli(['run', 's.yaml'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('s.yaml:2: server.OLLAMA_KEEPALIVE: unknown field "OLLAMA_KEEPALIVE" (did you mean OLLAMA_KEEP_ALIVE?)');
    expect(r.stdout).toBe('');
  });
});

describe('ollamasim plan', () => {
  const plannable = `name: plan check
host: { gpu: rtx-4090 }
models: { llama3.1:8b: { num_ctx: 4096 } }
workload:
  requests:
${Array.from({ length: 40 }, (_, i) => `    - { at: ${i * 2}, model: llama3.1:8b, duration: 1.5 }`).join('\n')}
`;
  test('the cheapest configuration that meets the objectives, with the cheaper ones and what they broke', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-plan-'));
    writeFileSync(join(dir, 's.yaml'), plannable);
    const r = cli(['plan', 's.yaml', '--slo', 'p95<=2.5s', '--gpus', 'l4,rtx-4090', '--max-gpus', '1', '--keep-alive', '0,5m', '--jobs', '1', '--json', '--out', 'out'], dir);
    expect(r.status).toBe(0);
    expect(listAll(dir).filter((f) => !f.endsWith('.png')).sort()).toEqual(['out/cells.csv', 'out/charts/frontier.svg', 'out/manifest.json', 'out/plan.txt', 'out/summary.json', 's.yaml']);
    const p = JSON.parse(r.stdout);
    expect(p.best.candidate).toBe('host.gpu=rtx-4090, host.count=1, OLLAMA_KEEP_ALIVE=5m'); // $0.70/h < l4's $0.80/h
    expect(p.rejected.map((c: { candidate: string }) => c.candidate)).toEqual(['host.gpu=rtx-4090, host.count=1, OLLAMA_KEEP_ALIVE=0']);
  });

  test('--max-rate: how many times today\'s traffic one configuration holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-plan-'));
    writeFileSync(join(dir, 's.yaml'), plannable);
    const r = cli(['plan', 's.yaml', '--slo', 'p95<=10s', '--max-rate'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/holds \d+\.\d\d× today's traffic within p95<=10s/);
  });

  test('a malformed objective is one line on stderr, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-plan-'));
    writeFileSync(join(dir, 's.yaml'), plannable);
    const r = cli(['plan', 's.yaml', '--slo', 'p95 under 3s'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^\(command line\): --slo: "p95 under 3s" is not an objective/);
  });
});

describe('ollamasim advise', () => {
  test('--cold 50% --json: snake_case fields beside the deprecated camelCase ones, the target as given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-advise-'));
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const r = cli(['advise', 's.yaml', '--cold', '50%', '--json'], dir);
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a).toMatchObject({ cold_target: 0.5, cold_target_source: 'given', observed: 'contract check' });
    expect(Object.keys(a.models[0])).toEqual(expect.arrayContaining(['keep_alive', 'gap_p50_s', 'gap_p99_s', 'cold_share', 'sent_by', 'keepAlive', 'gapP50', 'gapP99', 'coldShare']));
    expect(a.comparison[0].pathologies).toEqual([]);
  });

  test('a --cold that is not a share is one line on stderr, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-advise-'));
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const r = cli(['advise', 's.yaml', '--cold', 'five'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^\(command line\): --cold: "five" is not a share/);
  });
});
