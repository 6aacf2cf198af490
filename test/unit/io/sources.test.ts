import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test, type TestContext } from 'vitest';
import { InputError, msg, type Message } from '../../../src/diag/index.js';
import { loadScenario } from '../../../src/io/load-scenario.js';

/**
 * The real traces. Excerpts (the first 300 rows of each file, byte for byte) ship in
 * traces/ with their licences; the whole files are only where ../shared/traces exists
 * beside the checkout (../shared/traces/README.md), and the checks on them are skipped,
 * saying so, elsewhere — a clean clone has nothing beside it.
 */
const EXCERPTS = resolve(__dirname, '../../../traces');
const EX_CODE = join(EXCERPTS, 'azure-llm-2023/AzureLLMInferenceTrace_code.excerpt.csv');
const EX_CONV = join(EXCERPTS, 'azure-llm-2023/AzureLLMInferenceTrace_conv.excerpt.csv');
const EX_MOONCAKE = join(EXCERPTS, 'mooncake-fast25/conversation_trace.excerpt.jsonl');
const TRACES = process.env.OLLAMASIM_TRACES ?? resolve(__dirname, '../../../../shared/traces');
const CODE = join(TRACES, 'azure-llm-2023/AzureLLMInferenceTrace_code.csv');
const CONV = join(TRACES, 'azure-llm-2023/AzureLLMInferenceTrace_conv.csv');
const MOONCAKE = join(TRACES, 'mooncake-fast25/conversation_trace.jsonl');
/** Skips the running test, naming the file it needs and where to get it. */
const needs = (ctx: TestContext, ...files: string[]) => {
  const absent = files.filter((f) => !existsSync(f));
  if (absent.length) ctx.skip(`full trace not present: ${absent.join(', ')} (see ../shared/traces/README.md or the README's "Public traces")`);
};

const HEAD = `host: { gpus: [ { vram: 24GiB } ] }
models:
  coder: { vram: 5GiB, load: 5s, prefill_tps: 4000, decode_tps: 100 }
  chat: { vram: 6GiB, load: 5s, prefill_tps: 3000, decode_tps: 80 }
  plain: { vram: 3GiB, load: 2s }
`;

function dir(extra: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'ollamasim-src-'));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(d, name), text);
  return d;
}

async function load(sources: string, extra: Record<string, string> = {}, head = HEAD) {
  const d = dir({ 's.yaml': `${head}workload:\n  sources:\n${sources}`, ...extra });
  return loadScenario(join(d, 's.yaml'));
}

async function fails(sources: string, extra: Record<string, string>, file: string, line: number, field: string, m: Message) {
  const d = dir({ 's.yaml': `${HEAD}workload:\n  sources:\n${sources}`, ...extra });
  const err = await loadScenario(join(d, 's.yaml')).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).message).toBe(`${join(d, file)}:${line}: ${field}: ${m[0]}${m[1] ? ` (${m[1]})` : ''}`);
}

const span = (at: Float64Array) => (at[at.length - 1]! - at[0]!) / 1e6;

describe('real trace formats, on the excerpts shipped in traces/', () => {
  test('Azure 2023 code and conversation as two models: 300 + 300 rows, rebased together, tokens → duration', async () => {
    const both = await load(`    - { file: ${EX_CODE}, format: azure-llm-2023, model: coder }\n    - { file: ${EX_CONV}, format: azure-llm-2023, model: chat }\n`);
    expect(both.trace.length).toBe(600);
    // Rebased together: conv starts first (18:15:46.68), code 77.3 s later (18:17:03.98).
    expect(both.trace.at[0]).toBe(0);
    const firstCode = both.trace.model.indexOf(0);
    expect(both.trace.at[firstCode]! / 1e6).toBeCloseTo(77.29937, 4);
    // Last code row 18:20:40.818199: 294.1375 s after the conv origin.
    expect(span(both.trace.at)).toBeCloseTo(294.13761, 4);
    for (let i = 1; i < both.trace.length; i++) expect(both.trace.at[i]! >= both.trace.at[i - 1]!).toBe(true);
    expect(both.trace.model.filter((m) => m === 0).length).toBe(300);
    // Tokens → duration: first code row 4808 prompt, 10 output at 4000 / 100 tok/s.
    const code = await load(`    - { file: ${EX_CODE}, format: azure-llm-2023, model: coder }\n`);
    expect(code.trace.duration[0]).toBe(Math.round((4808 / 4000 + 10 / 100) * 1e6));
    expect(code.trace.promptTokens?.[0]).toBe(4808);
  });

  test('Mooncake conversation excerpt: 300 requests over 102 s (3 s buckets); split by session keeps a conversation on one model', async () => {
    const one = await load(`    - { file: ${EX_MOONCAKE}, format: mooncake, model: chat }\n`);
    expect(one.trace.length).toBe(300);
    expect(span(one.trace.at)).toBe(102);
    expect(one.trace.promptTokens?.[0]).toBe(6758);
    const split = await load(`    - { file: ${EX_MOONCAKE}, format: mooncake, split: { models: [chat, coder], by: zipf, s: 1.1 } }\n`);
    expect(split.trace.length).toBe(300);
    const chat = split.trace.model.filter((m) => m === 1).length;
    expect(chat).toBeGreaterThan(0);
    expect(chat).toBeLessThan(300);
  });
});

describe('real traces in full (../shared/traces/README.md figures; skipped where the files are absent)', () => {
  test('Azure 2023 code and conversation as two models: 8,819 + 19,366 = 28,185 requests, spans 3,436 / 3,502 / 3,513 s', async (ctx) => {
    needs(ctx, CODE, CONV);
    const code = await load(`    - { file: ${CODE}, format: azure-llm-2023, model: coder }\n`);
    const conv = await load(`    - { file: ${CONV}, format: azure-llm-2023, model: chat }\n`);
    const both = await load(`    - { file: ${CODE}, format: azure-llm-2023, model: coder }\n    - { file: ${CONV}, format: azure-llm-2023, model: chat }\n`);
    expect(code.trace.length).toBe(8819);
    expect(conv.trace.length).toBe(19366);
    expect(both.trace.length).toBe(28185);
    expect(Math.round(span(code.trace.at))).toBe(3436);
    expect(Math.round(span(conv.trace.at))).toBe(3502);
    expect(Math.round(span(both.trace.at))).toBe(3513);
    expect(both.trace.at[0]).toBe(0);
    const firstCode = both.trace.model.indexOf(0);
    expect(both.trace.at[firstCode]! / 1e6).toBeCloseTo(77.29937, 4);
    for (let i = 1; i < both.trace.length; i++) expect(both.trace.at[i]! >= both.trace.at[i - 1]!).toBe(true);
    expect(both.trace.model.filter((m) => m === 0).length).toBe(8819);
  });

  test('the excerpts are the files\' first 300 rows, byte for byte', (ctx) => {
    needs(ctx, CODE, CONV, MOONCAKE);
    for (const [excerpt, full] of [[EX_CODE, CODE], [EX_CONV, CONV], [EX_MOONCAKE, MOONCAKE]] as const) {
      const e = readFileSync(excerpt);
      expect(readFileSync(full).subarray(0, e.length).equals(e)).toBe(true);
    }
  });

  test('Mooncake conversation trace: 12,031 requests over 3,537 s; split by session keeps a conversation on one model', async (ctx) => {
    needs(ctx, MOONCAKE);
    const one = await load(`    - { file: ${MOONCAKE}, format: mooncake, model: chat }\n`);
    expect(one.trace.length).toBe(12031);
    expect(Math.round(span(one.trace.at))).toBe(3537);
    const split = await load(`    - { file: ${MOONCAKE}, format: mooncake, split: { models: [chat, coder], by: zipf, s: 1.1 } }\n`);
    expect(split.trace.length).toBe(12031);
    const chat = split.trace.model.filter((m) => m === 1).length;
    // Zipf s = 1.1 over 2 models: rank 1 gets 1 / (1 + 2^-1.1) ≈ 68 % of sessions (requests vary with session length).
    expect(chat / 12031).toBeGreaterThan(0.55);
    expect(chat / 12031).toBeLessThan(0.8);
  });
});

describe('workload.sources on small files', () => {
  const CSV = 'ts,svc,in,out\n2024-01-01T00:00:10Z,a,100,10\n2024-01-01T00:00:11.5Z,b,200,20\n2024-01-01T00:01:10Z,a,0,5\n';

  test('csv with a column map, ISO time rebased to 0, models map, tokens → duration', async () => {
    const sc = await load(`    - { file: t.csv, format: csv, time: iso, columns: { at: ts, model: svc, prompt_tokens: in, output_tokens: out }, models: { a: coder, b: chat } }\n`, { 't.csv': CSV });
    expect([...sc.trace.at]).toEqual([0, 1.5e6, 60e6]);
    expect([...sc.trace.model]).toEqual([0, 1, 0]);
    expect(sc.trace.duration[1]).toBe(Math.round((200 / 3000 + 20 / 80) * 1e6));
  });

  test('time_scale and window', async () => {
    const sc = await load(`    - { file: t.csv, format: csv, time: iso, columns: { at: ts, model: svc, prompt_tokens: in, output_tokens: out }, models: { a: coder, b: chat }, window: { start: 1s, end: 1m }, time_scale: 10 }\n`, { 't.csv': CSV });
    expect([...sc.trace.at]).toEqual([5e6]);
  });

  test('jsonl with ms times and an explicit duration that wins over tokens', async () => {
    const sc = await load(`    - { file: t.jsonl, format: jsonl, time: ms, model: plain }\n`, {
      't.jsonl': '{"at": 1000, "duration": 2, "prompt_tokens": 5}\n\n{"at": 4000, "duration": 1}\n',
    });
    expect([...sc.trace.at]).toEqual([0, 3e6]);
    expect([...sc.trace.duration]).toEqual([2e6, 1e6]);
  });

  test('rate_scale thins and repeats, seeded (same seed, same trace)', async () => {
    const rows = ['at,model,duration', ...Array.from({ length: 2000 }, (_, i) => `${i},plain,1`)].join('\n');
    const half = await load(`    - { file: t.csv, format: ollamasim, rate_scale: 0.5 }\n`, { 't.csv': rows });
    expect(half.trace.length).toBeGreaterThan(1900 * 0.5 - 80);
    expect(half.trace.length).toBeLessThan(2000 * 0.5 + 80);
    const again = await load(`    - { file: t.csv, format: ollamasim, rate_scale: 0.5 }\n`, { 't.csv': rows });
    expect([...again.trace.at]).toEqual([...half.trace.at]);
    const more = await load(`    - { file: t.csv, format: ollamasim, rate_scale: 2.5 }\n`, { 't.csv': rows });
    expect(more.trace.length).toBeGreaterThan(5000 - 150);
    expect(more.trace.length).toBeLessThan(5000 + 150);
    for (let i = 1; i < more.trace.length; i++) expect(more.trace.at[i]! >= more.trace.at[i - 1]!).toBe(true);
  });

  test('burstgpt maps its Model column', async () => {
    const sc = await load(`    - { file: b.csv, format: burstgpt, models: { ChatGPT: chat, GPT-4: coder } }\n`, {
      'b.csv': 'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n5,ChatGPT,100,10,110,Conversation log\n7,GPT-4,50,5,55,Conversation log\n',
    });
    expect([...sc.trace.at]).toEqual([0, 2e6]);
    expect([...sc.trace.model]).toEqual([1, 0]);
  });

  test('sort: true accepts an unsorted file', async () => {
    const sc = await load(`    - { file: t.csv, format: ollamasim, sort: true }\n`, { 't.csv': 'at,model,duration\n5,plain,1\n2,plain,1\n' });
    expect([...sc.trace.at]).toEqual([2e6, 5e6]);
  });
});

describe('bad sources: FILE:LINE: field: problem (hint)', () => {
  test('unknown format', async () => {
    await fails(`    - { file: t.csv, format: azure }\n`, {}, 's.yaml', 8, 'workload.sources[0].format', msg.unknownFormat('azure', ['ollamasim', 'csv', 'jsonl', 'azure-llm-2023', 'mooncake', 'burstgpt']));
  });
  test('unmapped model value', async () => {
    await fails(`    - { file: b.csv, format: burstgpt, models: { ChatGPT: chat } }\n`, { 'b.csv': 'Timestamp,Model,Request tokens,Response tokens\n1,ChatGPT,1,1\n2,GPT-4,1,1\n' }, 'b.csv', 3, 'Model', msg.unmappedModel('GPT-4', ['ChatGPT']));
  });
  test('unparseable time', async () => {
    await fails(`    - { file: t.csv, format: azure-llm-2023, model: chat }\n`, { 't.csv': 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9,1,1\nyesterday,1,1\n' }, 't.csv', 3, 'TIMESTAMP', msg.badTime('yesterday', 'iso'));
  });
  test('negative tokens', async () => {
    await fails(`    - { file: t.csv, format: azure-llm-2023, model: chat }\n`, { 't.csv': 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9,-4,1\n' }, 't.csv', 2, 'ContextTokens', msg.negativeTokens('-4'));
  });
  test('out of order names the sort escape hatch', async () => {
    await fails(`    - { file: t.csv, format: ollamasim }\n`, { 't.csv': 'at,model,duration\n5,plain,1\n2,plain,1\n' }, 't.csv', 3, 'at', msg.sourceOutOfOrder(2, 5));
  });
  test('tokens for a model without rates name the model', async () => {
    await fails(`    - { file: t.jsonl, format: mooncake, model: plain }\n`, { 't.jsonl': '{"timestamp": 0, "input_length": 10, "output_length": 3, "hash_ids": [0]}\n' }, 't.jsonl', 1, 'input_length', msg.noTokenRates('plain'));
  });
  test('bad JSON line', async () => {
    await fails(`    - { file: t.jsonl, format: mooncake, model: chat }\n`, { 't.jsonl': '{"timestamp": 0, "input_length": 1, "output_length": 1}\n{"timestamp": 1,\n' }, 't.jsonl', 2, '(json)', msg.badJson(jsonError('{"timestamp": 1,')));
  });
  test('a trace without a model column needs a mapping', async () => {
    await fails(`    - { file: t.csv, format: azure-llm-2023 }\n`, {}, 's.yaml', 8, 'workload.sources[0]', msg.needsModelMapping('azure-llm-2023'));
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('bad_rows and where, per source (issue 13)', () => {
  // A production export cut while requests were still running: PENDING rows name no model yet.
  const PROD = [
    'ts,svc,in,out,status',
    '0,a,100,10,FINISHED',
    '1,,50,0,PENDING',
    '2,b,200,20,FINISHED',
    '3,a,x,1,FAILED',
    '4,,70,0,PENDING',
    '5,b,10,1,FINISHED',
  ].join('\n') + '\n';
  const src = (extra: string) => `    - { file: p.csv, format: csv, columns: { at: ts, model: svc, prompt_tokens: in, output_tokens: out }, models: { a: coder, b: chat }${extra} }\n`;

  test('by default a row that names no model fails the run at its line', async () => {
    await fails(src(''), { 'p.csv': PROD }, 'p.csv', 3, 'svc', msg.missing());
  });

  test('bad_rows: skip leaves out rows with a missing or unparseable field; the warning says how many and where', async () => {
    const d = dir({ 's.yaml': `${HEAD}workload:\n  sources:\n${src(', bad_rows: skip')}`, 'p.csv': PROD });
    const sc = await loadScenario(join(d, 's.yaml'));
    expect([...sc.trace.at]).toEqual([0, 2e6, 5e6]);
    expect(sc.warnings).toEqual([`${join(d, 'p.csv')}: bad_rows: skip left out 3 rows with a missing or unparseable field: lines 3, 5, 6 (line 3: svc: missing (required))`]);
  });

  test('skip never covers ordering or mapping: those still fail', async () => {
    await fails(src(', bad_rows: skip'), { 'p.csv': 'ts,svc,in,out\n5,a,1,1\n2,a,1,1\n' }, 'p.csv', 3, 'ts', msg.sourceOutOfOrder(2, 5));
    await fails(src(', bad_rows: skip'), { 'p.csv': 'ts,svc,in,out\n1,a,1,1\n2,zz,1,1\n' }, 'p.csv', 3, 'svc', msg.unmappedModel('zz', ['a', 'b']));
    await fails(src(', bad_rows: skip'), { 'p.csv': 'ts,svc,in,out\n1,a,"1\n' }, 'p.csv', 2, '(csv)', msg.csvSyntax('Quote Not Closed: the parsing is finished with an opening quote at line 2'));
  });

  test('where keeps only matching rows (a value or a list), before any field is read', async () => {
    const finished = await load(src(', where: { status: FINISHED }'), { 'p.csv': PROD });
    expect([...finished.trace.at]).toEqual([0, 2e6, 5e6]);
    expect(finished.warnings).toEqual([]);
    const two = await load(src(', where: { status: [FINISHED, FAILED] }, bad_rows: skip'), { 'p.csv': PROD });
    expect([...two.trace.at]).toEqual([0, 2e6, 5e6]);
    expect(two.warnings).toHaveLength(1);
    const jsonl = await load(`    - { file: t.jsonl, format: jsonl, model: plain, where: { code: 200 } }\n`, {
      't.jsonl': '{"at": 0, "duration": 1, "code": 200}\n{"at": 1, "code": 500}\n{"at": 2, "duration": 1, "code": "200"}\n',
    });
    expect([...jsonl.trace.at]).toEqual([0, 2e6]);
  });

  test('a where column the file does not have is a mistake at the header, with the near name', async () => {
    await fails(src(', where: { stauts: FINISHED }'), { 'p.csv': PROD }, 'p.csv', 1, 'stauts', msg.whereColumn('stauts', ['ts', 'svc', 'in', 'out', 'status']));
    expect(msg.whereColumn('stauts', ['status'])[1]).toBe('did you mean status?');
  });

  test('a skipped row held back for repetition (rate_scale > 1) never takes the next row with it', async () => {
    const sc = await load(`    - { file: t.csv, format: ollamasim, rate_scale: 2, bad_rows: skip }\n`, { 't.csv': 'at,model,duration\n0,plain,1\n1,plain,oops\n2,plain,1\n' });
    expect(sc.trace.length).toBe(4); // rows 1 and 3, twice each
    expect(sc.warnings[0]).toContain('left out 1 row with a missing or unparseable field: line 3 (line 3: duration: "oops" is not a number');
  });

  test('metamorphic: on a clean file skip and fail give the same trace', async () => {
    const clean = 'ts,svc,in,out\n0,a,1,1\n2,b,3,4\n';
    const a = await load(src(''), { 'p.csv': clean });
    const b = await load(src(', bad_rows: skip'), { 'p.csv': clean });
    expect([...b.trace.at]).toEqual([...a.trace.at]);
    expect([...b.trace.duration]).toEqual([...a.trace.duration]);
  });
});
