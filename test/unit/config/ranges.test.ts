/**
 * Absurd numbers (issue 13): each one the issue found is refused with one line
 * and its documented range — never a V8 abort, a hang, a lost request or a
 * silently rounded time. The request limit is checked before anything is made.
 */
import { describe, expect, test } from 'vitest';
import { MAX_REQUESTS, RANGES } from '../../../src/config/ranges.js';
import { msg } from '../../../src/diag/index.js';
import { loadScenario } from '../../../src/io/load-scenario.js';
import { failure, fails, files, HEAD, load } from '../io/fixture.js';
import { join } from 'node:path';

const REQS = (...rows: string[]) => `workload:\n  requests:\n${rows.map((r) => `    - ${r}\n`).join('')}`;
const OK = '{ at: 0, model: phi3:mini, duration: 1 }';
const SECONDS = RANGES.seconds.text;

describe('issue 13 regressions: refused with one line, exit 2', () => {
  test('rate_scale: 1e9 (aborted V8)', async () => {
    await fails(`${HEAD}rate_scale: 1e9\n${REQS(OK)}`, 6, 'rate_scale', msg.outOfRange('1000000000', RANGES.scale.text));
  });

  test('synthetic rate: 1000000000000/h (exit 133/134): the count it would make, before any is drawn', async () => {
    const yaml = `${HEAD}workload: { synthetic: { length: 1h, models: { phi3:mini: { rate: 1000000000000/h, duration: 1 } } } }\n`;
    await fails(yaml, 6, 'workload.synthetic.models.phi3:mini.rate', msg.tooManyRequests('about 1,000,000,000,000', MAX_REQUESTS));
  });

  test('at: 1e308 in a trace ("over Infinity h", one request missing from every count)', async () => {
    await fails(`${HEAD}workload: { trace: t.csv }\n`, 3, 'at', msg.outOfRange('1e308', SECONDS), { 't.csv': 'at,model,duration\n0,phi3:mini,1\n1e308,phi3:mini,1\n' }, 't.csv');
  });

  test('at: 1e20 (latency 0, ten minutes with --out) and at: 1e12 (µs lost)', async () => {
    await fails(`${HEAD}${REQS(OK, '{ at: 1e20, model: phi3:mini, duration: 1 }')}`, 9, 'workload.requests[1].at', msg.outOfRange('100000000000000000000', SECONDS));
    await fails(`${HEAD}${REQS(OK, '{ at: 1000000000000.000001, model: phi3:mini, duration: 1 }')}`, 9, 'workload.requests[1].at', msg.outOfRange('1000000000000', SECONDS));
  });

  test('duration: 1e308 (counted as stuck)', async () => {
    await fails(`${HEAD}${REQS('{ at: 0, model: phi3:mini, duration: 1e308 }')}`, 8, 'workload.requests[0].duration', msg.outOfRange('1e+308', SECONDS));
  });

  test('the largest time that is still exact at µs is accepted: 1e9 s', async () => {
    const { sc } = await load(`${HEAD}${REQS(OK, '{ at: 1e9, model: phi3:mini, duration: 1e9, timeout: 1e9 }')}`);
    expect(sc.trace.at[1]).toBe(1e15);
    expect(Number.isSafeInteger(sc.trace.at[1]! + sc.trace.duration[1]! + sc.trace.timeout![1]!)).toBe(true);
  });

  test('sizes, durations and counts beyond their ranges', async () => {
    await fails(`${HEAD.replace('6.2GiB', '2000000TiB')}${REQS(OK)}`, 4, 'models.llama3.1:8b.vram', msg.outOfRange('2000000TiB', RANGES.bytes.text));
    await fails(`${HEAD.replace('load: 8s', 'load: 999999h')}${REQS(OK)}`, 4, 'models.llama3.1:8b.load', msg.outOfRange('999999h', SECONDS));
    await fails(`horizon: 1e308\n${HEAD}${REQS(OK)}`, 1, 'horizon', msg.outOfRange('1e+308', SECONDS));
    await fails(`seed: 1e308\n${HEAD}${REQS(OK)}`, 1, 'seed', msg.outOfRange('1e+308', RANGES.seed.text));
    await fails(`${HEAD}fleet: { hosts: 1000000000 }\n${REQS(OK)}`, 6, 'fleet.hosts', msg.outOfRange('1000000000', RANGES.hosts.text));
    await fails(`${HEAD}retry: { attempts: 1e9, backoff: 1s }\n${REQS(OK)}`, 6, 'retry.attempts', msg.outOfRange('1000000000', RANGES.attempts.text));
    await fails(`${HEAD}${REQS('{ at: 0, model: phi3:mini, prompt_tokens: 1e300 }')}`, 8, 'workload.requests[0].prompt_tokens', msg.outOfRange('1e+300', RANGES.tokens.text));
    await fails(`${HEAD}${REQS('{ at: .inf, model: phi3:mini, duration: 1 }')}`, 8, 'workload.requests[0].at', msg.notFinite('Infinity'));
    await fails(`seed: .nan\n${HEAD}${REQS(OK)}`, 1, 'seed', msg.notFinite('NaN'));
  });

  test('a sweep axis out of range is refused before any cell runs', async () => {
    const dir = files({ 's.yaml': `${HEAD}${REQS(OK)}` });
    const err = await loadScenario(join(dir, 's.yaml'), { axes: [{ key: 'fleet.hosts', values: [1, 1e9] }] }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toContain('cannot sweep fleet.hosts: 1000000000 is out of range, a whole number from 1 to 1024');
  });
});

describe('at most 100 M requests per workload unless --max-requests says otherwise', () => {
  const five = `${HEAD}${REQS(...Array.from({ length: 5 }, (_, i) => `{ at: ${i}, model: phi3:mini, duration: 1 }`))}`;

  test('the limit moves the verdict: 5 requests pass a limit of 5 and fail one of 4', async () => {
    const dir = files({ 's.yaml': five });
    expect((await loadScenario(join(dir, 's.yaml'), { maxRequests: 5 })).trace.length).toBe(5);
    const err = await loadScenario(join(dir, 's.yaml'), { maxRequests: 4 }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe(`${join(dir, 's.yaml')}:12: workload.requests[4].at: ${msg.tooManyRequests('more than 4', 4)[0]} (${msg.tooManyRequests('more than 4', 4)[1]})`);
  });

  test('a candidate\'s rate_scale counts: 5 requests × 3 = about 15', async () => {
    const dir = files({ 's.yaml': `${five}candidates: [ { name: x3, rate_scale: 3 } ]\n` });
    expect((await loadScenario(join(dir, 's.yaml'), { maxRequests: 15 })).candidates[0]!.rateScale).toBe(3);
    const err = await loadScenario(join(dir, 's.yaml'), { maxRequests: 14 }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toContain(`candidates[0].rate_scale: ${msg.tooManyRequests('about 15', 14)[0]}`);
  });

  test('synthetic traffic: the mean count over the length, per workload', async () => {
    const yaml = `${HEAD}workload: { synthetic: { length: 10h, models: { phi3:mini: { rate: 2/h, duration: 1 }, llama3.1:8b: { rate: 1/h, duration: 1 } } } }\n`;
    const dir = files({ 's.yaml': yaml });
    await expect(loadScenario(join(dir, 's.yaml'), { maxRequests: 30 })).resolves.toBeDefined();
    const err = await loadScenario(join(dir, 's.yaml'), { maxRequests: 29 }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toContain(`workload.synthetic.models.llama3.1:8b.rate: ${msg.tooManyRequests('about 30', 29)[0]}`);
  });

  test('the default is 100 M', async () => {
    expect(MAX_REQUESTS).toBe(100_000_000);
    const { err } = await failure(`${HEAD}workload: { synthetic: { length: 1000h, models: { phi3:mini: { rate: 100001/h, duration: 1 } } } }\n`);
    expect(err.message).toContain(msg.tooManyRequests('about 100,001,000', MAX_REQUESTS)[0]);
  });
});
