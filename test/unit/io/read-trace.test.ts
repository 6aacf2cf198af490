import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { msg, warn } from '../../../src/diag/index.js';
import { REQUEST_FIELDS } from '../../../src/config/request-rows.js';
import { FOREVER, INVALID } from '../../../src/ollama/keep-alive.js';
import { keepAliveOf, numCtxOf, Op, opOf, timeoutOf } from '../../../src/workload/trace.js';
import { failure, fails, HEAD, load, MODELS, column, ids } from './fixture.js';

/** A scenario whose workload is the CSV `t.csv` next to it (or in a sub-folder). */
const TRACE = `${HEAD}workload: { trace: t.csv }\n`;
const csv = (text: string) => ({ 't.csv': text });

describe('trace CSV', () => {
  test('a trace next to the scenario; ids default to the 1-based position; CRLF and BOM', async () => {
    const { sc } = await load(TRACE, csv('\uFEFFat,model,duration,id\r\n0,phi3:mini,1,\r\n1.5,llama3.1:8b,2,x\r\n'));
    expect(Array.from(sc.trace.at)).toEqual([0, 1.5e6]);
    expect(Array.from(sc.trace.model)).toEqual([1, 0]);
    expect(Array.from(sc.trace.duration)).toEqual([1e6, 2e6]);
    expect(ids(sc.trace)).toEqual([null, 'x']);
  });

  test('the trace path is relative to the scenario file, not the working directory', async () => {
    const { sc } = await load(`${HEAD}workload: { trace: ../t.csv }\n`, csv('at,model,duration\n0,phi3:mini,1\n'), 'sub/s.yaml');
    expect(sc.trace.length).toBe(1);
  });

  test('§3 keep_alive cells: empty = absent, numeric text is a JSON number, other text a JSON string', async () => {
    const { sc, dir } = await load(TRACE, csv('at,model,duration,keep_alive\n0,phi3:mini,1,\n1,phi3:mini,1,-1\n2,phi3:mini,1,5m\n3,phi3:mini,1,"300"\n4,phi3:mini,1,42.5\n5,phi3:mini,1,abc\n6,phi3:mini,1,0\n'));
    expect(column(sc.trace, keepAliveOf)).toEqual([NaN, FOREVER, 300e6, 300e6, 42.5e6, INVALID, 0]);
    expect(sc.warnings).toEqual([warn.rejectedKeepAlive(1, `${join(dir, 't.csv')}:7`)]);
  });

  test('preload and unload rows need no duration; op, num_ctx and timeout columns', async () => {
    const { sc } = await load(TRACE, csv('at,model,duration,op,num_ctx,timeout\n0,phi3:mini,,preload,,\n1,phi3:mini,2,generate,8192,10\n2,phi3:mini,,unload,,\n'));
    expect(column(sc.trace, opOf)).toEqual([Op.preload, Op.generate, Op.unload]);
    expect(Array.from(sc.trace.duration)).toEqual([0, 2e6, 0]);
    expect(column(sc.trace, numCtxOf)).toEqual([0, 8192, 0]);
    expect(column(sc.trace, timeoutOf)).toEqual([Infinity, 10e6, Infinity]);
  });

  test('a header alone is an empty trace: allowed, with a warning', async () => {
    const { sc, file } = await load(TRACE, csv('at,model,duration\n'));
    expect(sc.trace.length).toBe(0);
    expect(sc.warnings).toEqual([`${file}: the workload has no requests`]);
  });
});

describe('bad trace CSV: FILE is the trace, LINE counts the header as 1, field is the column', () => {
  const bad = (text: string, line: number, field: string, m: [string, string?]) => fails(TRACE, line, field, m, csv(text), 't.csv');

  test('file errors in words, with no made-up line: no such file, is a directory, file is empty', async () => {
    const whole = async (trace: string, extra: Record<string, string>, words: string) => {
      const { err, dir } = await failure(`${HEAD}workload: { trace: ${trace} }\n`, extra);
      expect(err.message).toBe(`${join(dir, trace)}: ${words}`);
      expect(err.line).toBe(0);
    };
    await whole('nope.csv', {}, 'no such file');
    expect(msg.cannotRead('ENOENT')).toEqual(['no such file']);
    await whole('sub', { 'sub/x.csv': '' }, 'is a directory (give a file)');
    await whole('t.csv', { 't.csv': '' }, 'file is empty');
    await whole('t.csv', { 't.csv': '\n\n' }, 'file is empty');
  });

  test('non-numeric and negative times', async () => {
    await bad('at,model,duration\n0,phi3:mini,1\nsoon,phi3:mini,1\n2,phi3:mini,1\n', 3, 'at', msg.notNumber('soon'));
    await bad('at,model,duration\n0,phi3:mini,-1\n', 2, 'duration', msg.negative('-1'));
    await bad('at,model,duration\n0,phi3:mini,\n', 2, 'duration', msg.durationRequired());
  });

  test('arrivals out of order', async () => {
    await bad('at,model,duration\n0,phi3:mini,1\n2,phi3:mini,1\n1,phi3:mini,1\n3,phi3:mini,1\n', 4, 'at', msg.outOfOrder(1, 2));
  });

  test('blank lines and CRLF still count as lines', async () => {
    await bad('at,model,duration\r\n0,phi3:mini,1\r\n\r\n1,phi3:mni,1\r\n', 4, 'model', msg.unknownModel('phi3:mni', MODELS));
  });

  test('unknown and missing columns, at the header line', async () => {
    await bad('at,modle,duration\n0,phi3:mini,1\n', 1, 'modle', msg.unknownColumn('modle', REQUEST_FIELDS));
    expect(msg.unknownColumn('modle', REQUEST_FIELDS)[1]).toBe('did you mean model?');
    await bad('at,model\n0,phi3:mini\n', 1, 'duration', msg.missingColumn('duration'));
  });

  test('CSV syntax', async () => {
    await bad('at,model,duration\n0,phi3:mini,"1\n', 2, '(csv)', msg.csvSyntax('Quote Not Closed: the parsing is finished with an opening quote at line 2'));
  });
});
