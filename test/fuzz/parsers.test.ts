/**
 * Hostile and broken input (issue "Trust"): whatever bytes a scenario or a
 * trace holds, loading it either succeeds or fails with one InputError line
 * naming FILE:LINE — never another exception, never a stack trace, never a
 * silent skip. `npm run soak` runs many more cases (OLLAMASIM_SOAK_RUNS).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/diag/index.js';
import { loadScenario } from '../../src/io/load-scenario.js';

const RUNS = Number(process.env.OLLAMASIM_SOAK_RUNS ?? 150);
const dir = mkdtempSync(join(tmpdir(), 'ollamasim-fuzz-'));

async function outcome(scenario: string, trace?: string): Promise<'ok' | InputError> {
  writeFileSync(join(dir, 's.yaml'), scenario);
  if (trace !== undefined) writeFileSync(join(dir, 't.csv'), trace);
  try {
    await loadScenario(join(dir, 's.yaml'));
    return 'ok';
  } catch (e) {
    if (!(e instanceof InputError)) throw e; // anything else is a bug
    return e;
  }
}

function oneLine(e: InputError, file: string): void {
  expect(e.message).not.toContain('\n');
  expect(e.message.startsWith(join(dir, file) + ':')).toBe(true);
  // FILE:LINE: …, or FILE: … for a problem with the whole file (empty, missing).
  expect(e.message).toMatch(e.line === 0 ? /^[^:]+: / : /^[^:]+(:[^:]+)?:\d+: /);
}

const HEAD = 'host: { gpus: [ { vram: 24GiB } ] }\nmodels: { a: { vram: 1GiB, load: 1s } }\n';

const nasty = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ minLength: 10_000, maxLength: 10_000 }),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '-1', '1e400', '-0', '0x10', '1_000', '', ' ', '"', '\uFEFF', '\r\n', '<img src=x onerror=alert(1)>', '!!js/function "x"'),
  fc.double().map(String), fc.bigInt().map(String),
);

describe('fuzzing the loaders', () => {
  test(`random bytes as a scenario (${RUNS} cases)`, async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
      writeFileSync(join(dir, 's.yaml'), bytes);
      const r = await loadScenario(join(dir, 's.yaml')).then(() => 'ok' as const, (e: unknown) => e);
      if (r !== 'ok') {
        expect(r).toBeInstanceOf(InputError);
        oneLine(r as InputError, 's.yaml');
      }
    }), { seed: 1, numRuns: RUNS });
  });

  test(`nasty values in every request field, inline (${RUNS} cases)`, async () => {
    const field = fc.constantFrom('at', 'model', 'duration', 'keep_alive', 'num_ctx', 'timeout', 'op', 'id');
    await fc.assert(fc.asyncProperty(field, nasty, async (f, v) => {
      const req = { at: 0, model: 'a', duration: 1, [f]: v };
      const r = await outcome(`${HEAD}workload: { requests: [ ${JSON.stringify(req)} ] }\n`);
      if (r !== 'ok') oneLine(r, 's.yaml');
    }), { seed: 2, numRuns: RUNS });
  });

  test(`nasty cells, truncated rows, BOM and CRLF in a trace CSV (${RUNS} cases)`, async () => {
    const row = fc.tuple(nasty, fc.constantFrom('a', 'b', ''), nasty).map((cells) => cells.join(','));
    const csv = fc.tuple(fc.boolean(), fc.boolean(), fc.array(fc.oneof(row, fc.constant('0'), fc.constant('0,a')), { maxLength: 6 }))
      .map(([bom, crlf, rows]) => (bom ? '\uFEFF' : '') + ['at,model,duration', ...rows].join(crlf ? '\r\n' : '\n'));
    await fc.assert(fc.asyncProperty(csv, async (text) => {
      const r = await outcome(`${HEAD}workload: { trace: t.csv }\n`, text);
      if (r !== 'ok') oneLine(r, r.diagnostic.file.endsWith('t.csv') ? 't.csv' : 's.yaml');
    }), { seed: 3, numRuns: RUNS });
  });

  test('huge, Unicode and markup model names, duplicate keys, code tags', async () => {
    for (const name of ['x'.repeat(10_000), 'модель:7b', '🦙:latest', '<img src=x onerror=alert(1)>']) {
      const r = await outcome(`host: { gpus: [] }\nmodels: { ${JSON.stringify(name)}: { vram: 1GiB, load: 1s } }\nworkload: { requests: [ { at: 0, model: ${JSON.stringify(name)}, duration: 1 } ] }\n`);
      expect(r).toBe('ok');
    }
    const dup = await outcome(`${HEAD}host: { gpus: [] }\nworkload: { requests: [] }\n`);
    expect(dup).toBeInstanceOf(InputError);
    expect((dup as InputError).message).toMatch(/:3: \(yaml\): YAML syntax error: Map keys must be unique/);
    const tag = await outcome(`${HEAD}name: !!js/function "function () { process.exit(9) }"\nworkload: { requests: [] }\n`);
    if (tag !== 'ok') oneLine(tag, 's.yaml'); // the yaml library never runs code: at worst an unknown tag
  });
});

describe('regressions found by the soak run', () => {
  test('an unresolved YAML alias ("*" then NUL) is a one-line input error, not a ReferenceError', async () => {
    writeFileSync(join(dir, 's.yaml'), Uint8Array.from([42, 0]));
    const r = await loadScenario(join(dir, 's.yaml')).catch((e: unknown) => e);
    expect(r).toBeInstanceOf(InputError);
    oneLine(r as InputError, 's.yaml');
  });

  test('a value with a line break (op: "\\r\\n") is quoted on one line', async () => {
    const r = await outcome(`${HEAD}workload: { requests: [ { at: 0, model: a, duration: 1, op: "\\r\\n" } ] }\n`);
    expect(r).toBeInstanceOf(InputError);
    expect((r as InputError).message).toContain('unknown op "\\u000d\\u000a"');
    oneLine(r as InputError, 's.yaml');
  });
});
