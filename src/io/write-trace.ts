import { createWriteStream, writeSync } from 'node:fs';
import { keepAliveOf, numCtxOf, OP_NAMES, opOf, requestId, timeoutOf, type Trace } from '../workload/trace.js';

/**
 * Writes a trace as the core CSV (`at,model,duration,...`, seconds with µs
 * precision), adding columns only when some request uses them; `-` = stdout.
 */
export function writeCoreCsv(out: string, trace: Trace, models: readonly string[]): void {
  const hasIds = trace.ids !== null;
  const hasKa = trace.keepAlive?.some((k) => !Number.isNaN(k)) ?? false;
  const hasCtx = trace.numCtx?.some((c) => c > 0) ?? false;
  const hasTimeout = trace.timeout?.some((t) => Number.isFinite(t)) ?? false;
  const hasOp = trace.op?.some((o) => o !== 0) ?? false;
  const hasTokens = trace.promptTokens !== undefined;
  const cols = [hasIds && 'id', 'at', 'model', 'duration', hasKa && 'keep_alive', hasCtx && 'num_ctx', hasTimeout && 'timeout', hasOp && 'op', hasTokens && 'prompt_tokens', hasTokens && 'output_tokens'].filter(Boolean);
  const s = (us: number) => String(us / 1e6);
  const cell = (x: number) => (Number.isNaN(x) ? '' : String(x));
  let buf = cols.join(',') + '\n';
  const stream = out === '-' ? null : createWriteStream(out);
  const flush = (force: boolean) => {
    if (!force && buf.length < 1 << 20) return;
    if (stream) stream.write(buf);
    else writeSync(1, buf);
    buf = '';
  };
  for (let i = 0; i < trace.length; i++) {
    const row: string[] = [];
    if (hasIds) row.push(requestId(trace, i));
    // A token request read without model rates has no duration yet: leave it for the scenario's rates.
    const tokensOnly = hasTokens && trace.duration[i] === 0 && !Number.isNaN(trace.promptTokens![i]! + trace.outputTokens![i]!);
    row.push(s(trace.at[i]!), models[trace.model[i]!]!, tokensOnly ? '' : s(trace.duration[i]!));
    if (hasKa) { const k = keepAliveOf(trace, i); row.push(Number.isNaN(k) ? '' : k === Infinity ? '-1' : k < 0 ? '' : s(k)); }
    if (hasCtx) row.push(numCtxOf(trace, i) ? String(numCtxOf(trace, i)) : '');
    if (hasTimeout) row.push(Number.isFinite(timeoutOf(trace, i)) ? s(timeoutOf(trace, i)) : '');
    if (hasOp) row.push(OP_NAMES[opOf(trace, i)]!);
    if (hasTokens) row.push(cell(trace.promptTokens![i]!), cell(trace.outputTokens![i]!));
    buf += row.join(',') + '\n';
    flush(false);
  }
  flush(true);
  stream?.end();
}
