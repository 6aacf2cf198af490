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
    writeFileSync(join(dir, 'ok.yaml'), SCENARIO);
    const top = cli(['run', 'ok.yaml', '--out', 'o', '--top', '0'], dir);
    expect([top.status, top.stderr.trim()]).toEqual([2, '(command line): --top: 0 is not a positive whole number']);
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
    expect(listAll(dir).filter((f) => !f.endsWith('.png')).sort()).toEqual([
      'out/cells.csv', 'out/charts/frontier.svg', 'out/charts/latency.svg', 'out/charts/models.svg', 'out/charts/tradeoff.svg',
      'out/manifest.json', 'out/plan.txt', 'out/report.html', 'out/summary.json', 's.yaml']);
    // The plan's section of report.html: the recommendation and what the cheaper option broke.
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('<h2>Capacity plan</h2>');
    expect(html).toMatch(/Recommendation:<\/b> rtx-4090 · 1 GPU · keep 5m/);
    expect(html).toMatch(/keep 0<\/td><td>\$0\.70\/h<\/td><td class="left">breaks p95&lt;=2\.5s/);
    const p = JSON.parse(r.stdout);
    expect(p.best.candidate).toBe('host.gpu=rtx-4090, host.count=1, OLLAMA_KEEP_ALIVE=5m'); // $0.70/h < l4's $0.80/h
    expect(p.rejected.map((c: { candidate: string }) => c.candidate)).toEqual(['host.gpu=rtx-4090, host.count=1, OLLAMA_KEEP_ALIVE=0']);
  });

  // 1 req/s of 1.5 s work: one host is overloaded, two are not.
  const busy = plannable.replace(/at: (\d+), model/g, (_, at) => `at: ${Number(at) / 2}, model`);

  test('--max-rate tests the recommended configuration, not the scenario\'s first candidate; --config names another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-plan-'));
    writeFileSync(join(dir, 's.yaml'), busy);
    const args = ['plan', 's.yaml', '--slo', 'p95<=10s', '--gpus', 'rtx-4090', '--max-gpus', '1', '--hosts', '1,2', '--jobs', '1', '--max-rate'];
    const r = cli(args, dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^host\.gpu=rtx-4090, host\.count=1, fleet\.hosts=2: holds \d+\.\d\d× today's traffic within p95<=10s \(one deterministic run per rate\)\n$/);
    const one = cli([...args, '--config', 'host.gpu=rtx-4090, host.count=1, fleet.hosts=1'], dir);
    expect(one.status).toBe(0);
    expect(one.stdout).toMatch(/^host\.gpu=rtx-4090, host\.count=1, fleet\.hosts=1: does not meet p95<=10s at today's traffic; it holds 0\.\d\d× of it/);
    const json = JSON.parse(cli([...args, '--config', 'host.gpu=rtx-4090, host.count=1, fleet.hosts=1', '--json'], dir).stdout);
    expect(json).toMatchObject({ configuration: 'host.gpu=rtx-4090, host.count=1, fleet.hosts=1', objectives: ['p95<=10s'], runs_per_rate: 1 });
    expect(json.max_rate).toBeLessThan(1);
    const typo = cli(['plan', 's.yaml', '--slo', 'p95<=10s', '--max-rate', '--config', 'plan chek'], dir);
    expect(typo.status).toBe(2);
    expect(typo.stderr.trim()).toBe('(command line): --config: unknown configuration "plan chek" (did you mean plan check?)');
  });

  test('--price buy --months --kwh: monthly cost of owning and break-even in the JSON, the plan columns in cells.csv after the sweep\'s own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-plan-'));
    writeFileSync(join(dir, 's.yaml'), plannable);
    const r = cli(['plan', 's.yaml', '--slo', 'p95<=2.5s', '--gpus', 'l4,rtx-4090', '--max-gpus', '1', '--jobs', '1', '--price', 'buy', '--months', '36', '--kwh', '0.15', '--json', '--out', 'out'], dir);
    expect(r.status).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.best.candidate).toBe('host.gpu=l4, host.count=1'); // $2500 but frugal beats the $1800, 450 W 4090 over 36 months
    expect(p.best.price).toBe(2500);
    expect(p.best.ownership).toMatchObject({ purchase: 2500, months: 36, rentMonthly: 584 });
    expect(p.best.ownership.monthly).toBeCloseTo(2500 / 36 + p.best.ownership.powerMonthly, 1);
    expect(p.best.ownership.breakEvenMonth).toBe(5);
    expect(p.confidence.kind).toBe('one-run');
    const [head, ...rows] = readFileSync(join(dir, 'out/cells.csv'), 'utf8').trim().split('\n');
    expect(head).toMatch(/^cell,candidate,host\.gpu,host\.count,replications,requests_mean,requests_ci95,.*,price,cost,meets,broken,monthly,purchase,power_monthly,watts,rent_monthly,break_even_month$/);
    expect(rows).toHaveLength(2);
    const text = readFileSync(join(dir, 'out/plan.txt'), 'utf8');
    expect(text).toContain('renting the same: $584/mo — buying has cost less by the end of month 5');
    const summary = JSON.parse(readFileSync(join(dir, 'out/summary.json'), 'utf8'));
    expect(Object.keys(summary)).toEqual(['scenario', 'seed', 'replications', 'seeds', 'axes', 'cells', 'warnings', 'plan']);
  });

  test('buying flags without --price buy, --config without --max-rate, or an unknown basis: one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollamasim-plan-'));
    writeFileSync(join(dir, 's.yaml'), plannable);
    const months = cli(['plan', 's.yaml', '--slo', 'p95<=3s', '--months', '36'], dir);
    expect(months.status).toBe(2);
    expect(months.stderr.trim()).toBe('(command line): --months: --months prices a bought fleet (add --price buy)');
    const config = cli(['plan', 's.yaml', '--slo', 'p95<=3s', '--config', 'host.gpu=l4'], dir);
    expect(config.status).toBe(2);
    expect(config.stderr.trim()).toBe('(command line): --config: --config names the configuration --max-rate tests (add --max-rate)');
    const basis = cli(['plan', 's.yaml', '--slo', 'p95<=3s', '--price', 'rent'], dir);
    expect(basis.status).toBe(2);
    expect(basis.stderr.trim()).toMatch(/^\(command line\): --price: unknown price basis "rent"/);
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
