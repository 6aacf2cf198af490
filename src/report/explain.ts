import { CPU } from '../hardware/throughput.js';
import type { CandidateExplanation, ModelExplanation } from '../sim/explain.js';
import type { GpuSpec } from '../hardware/gpus.js';
import type { ModelSpec } from '../hardware/models.js';
import type { StorageSpec } from '../hardware/storage.js';

const GiB = 2 ** 30;
const gib = (b: number) => `${(b / GiB).toFixed(2)} GiB`;

/**
 * `ollamasim explain`: per distinct configuration (candidates that resolve to
 * the same hardware and models share one block), per model P with its inputs
 * — arithmetic that adds up, given sizes shown as given — placement, load
 * times, a typical request; then the pairs of models that can never be
 * resident together.
 */
export function explainText(list: CandidateExplanation[]): string {
  const out: string[] = [];
  for (const group of distinctConfigurations(list)) {
    const c = group[0]!;
    const names = group.map((x) => `"${x.candidate}"`).join(', ');
    out.push(`candidate${group.length > 1 ? 's' : ''} ${names}: GPUs ${c.gpus.length ? c.gpus.map(gib).join(' + ') : 'none (CPU-only)'}, default context tier ${c.tier}`);
    out.push(`  Ollama ${c.version} (era ${c.era})${c.differences.length ? ', unlike the current version:' : ''}`);
    for (const d of c.differences) out.push(`    - ${d}`);
    if (c.reserved.some((b) => b > 0)) {
      // Ollama's free memory: min(reported free, total − loaded); other processes lower the reported free.
      out.push(`  held by other processes: ${c.reserved.map(gib).join(' + ')}; free on an empty host ${c.gpus.map((g, i) => gib(g - c.reserved[i]!)).join(' + ')}`);
    }
    for (const m of c.models) out.push(...modelLines(m, c.era));
    out.push(...apartLines(c));
  }
  return out.join('\n') + '\n';
}

/** Candidates whose explanation is the same but for the name, in first-seen order. */
export function distinctConfigurations(list: readonly CandidateExplanation[]): CandidateExplanation[][] {
  const groups = new Map<string, CandidateExplanation[]>();
  for (const c of list) {
    const key = JSON.stringify({ ...c, candidate: '' });
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()];
}

const close = (a: number, b: number) => Math.abs(a - b) < 0.005 * GiB;

/** P as the catalogue estimates it (file + KV + surcharge), or null without a catalogue architecture. */
const estimateOf = (m: ModelExplanation) => (m.fileBytes !== null && m.kvBytes !== null ? m.fileBytes + m.kvBytes + m.surcharge : null);
/** Whether the scenario gave this model's size (it then wins over the catalogue's estimate). */
const sizeGiven = (m: ModelExplanation) => { const e = estimateOf(m); return e === null || !close(e, m.p); };

function modelLines(m: ModelExplanation, era: string): string[] {
  const estimated = estimateOf(m);
  const out = [`  ${m.model} (${m.source === 'catalogue' && sizeGiven(m) ? 'catalogue architecture, size given' : m.source})`];
  const parts = m.fileBytes !== null && m.kvBytes !== null
    ? `file ${gib(m.fileBytes)} + KV ${gib(m.kvBytes)} (num_ctx ${m.numCtx}${m.ctxAuto ? ', automatic' : ''} × ${m.numParallel} slot${m.numParallel > 1 ? 's' : ''}) + batch surcharge ${gib(m.surcharge)}`
    : null;
  if (parts && estimated !== null && close(estimated, m.p)) {
    out.push(`    P = ${parts} = ${gib(m.p)}`);
  } else if (parts && estimated !== null) {
    // A size given in the scenario wins over the catalogue's estimate: show it as given, and the estimate apart.
    out.push(`    P = ${gib(m.p)} (given in the scenario; the catalogue's estimate would be ${parts} = ${gib(estimated)})`);
  } else {
    out.push(`    P = ${gib(m.p)} (given in the scenario)`);
  }
  out.push(`    actual VRAM ${gib(m.vram)}; alone it goes on ${m.placement}${m.fitsAlone ? '' : ` (more than ${era === 'E3' ? '80 % of ' : ''}free memory: it only loads as the first model)`}`);
  if (m.oomAlone) {
    out.push(`    its real footprint exceeds free memory although P fits: even alone the load runs out of memory${m.ctxAuto ? ' (Ollama retries once at a cut automatic context)' : ' (500: an explicit context is not cut)'}`);
  }
  out.push(m.loadFixed
    ? `    load ${m.loadCold.toFixed(2)} s (given in the scenario)`
    : `    load ${m.loadCold.toFixed(2)} s cold from storage, ${m.loadWarm.toFixed(2)} s from the page cache (runner start + file ÷ min(read, host link))`);
  if (m.rates) {
    out.push(`    answer: prefill ${m.rates.prefill.toFixed(0)} t/s, decode ${m.rates.decode.toFixed(1)} t/s (${m.rates.basis}); 500 prompt + 200 output tokens ≈ ${m.rates.typical.toFixed(2)} s`);
  }
  if (m.medianDuration !== null) out.push(`    typical request: ${m.medianDuration.toFixed(2)} s of work (median in the trace)`);
  return out;
}

/**
 * Pairs that can never be resident together on this host's memory (summed
 * over its GPUs, less what other processes hold): either their VRAM together exceeds it, or each one's P is
 * more than 80 % of what the other leaves free (the pre-flight), so loading
 * one always evicts the other.
 */
export function neverTogether(c: CandidateExplanation): { a: ModelExplanation; b: ModelExplanation; why: string }[] {
  // What runners can have: the GPUs' memory less what other processes hold.
  const total = c.gpus.reduce((x, y, i) => x + y - (c.reserved[i] ?? 0), 0);
  if (total <= 0) return [];
  const out: { a: ModelExplanation; b: ModelExplanation; why: string }[] = [];
  // The pre-flight: 80 % of free memory from v0.30.0 (E3); before, a second model must fit fully.
  const share = c.era === 'E3' ? 0.8 : 1;
  const fitsBeside = (held: ModelExplanation, next: ModelExplanation) => next.p <= share * (total - held.vram);
  for (let i = 0; i < c.models.length; i++) {
    for (let j = i + 1; j < c.models.length; j++) {
      const a = c.models[i]!;
      const b = c.models[j]!;
      if (a.vram + b.vram > total) {
        out.push({ a, b, why: `${gib(a.vram)} + ${gib(b.vram)} = ${gib(a.vram + b.vram)} > ${gib(total)}` });
      } else if (!fitsBeside(a, b) && !fitsBeside(b, a)) {
        out.push({ a, b, why: `each one's P is more than ${share * 100} % of what the other leaves free (${gib(b.p)} > ${share} × ${gib(total - a.vram)}, ${gib(a.p)} > ${share} × ${gib(total - b.vram)})` });
      }
    }
  }
  return out;
}

function apartLines(c: CandidateExplanation): string[] {
  const pairs = neverTogether(c);
  if (pairs.length === 0) return [];
  return ['  never resident together (loading one evicts the other):',
    ...pairs.map(({ a, b, why }) => `    ${a.model} and ${b.model}: ${why}${(a.ctxAuto && !sizeGiven(a)) || (b.ctxAuto && !sizeGiven(b)) ? ` (at the ${c.tier} default context)` : ''}`)];
}

export function gpusText(gpus: readonly GpuSpec[]): string {
  const rows = gpus.map((g) => [g.id, g.name, gib(g.vram), `${(g.bandwidth / 1e9).toFixed(0)} GB/s`, g.linkName,
    g.pricePerHour !== undefined ? `$${g.pricePerHour}/h` : '', g.priceToBuy !== undefined ? `$${g.priceToBuy}` : '',
    `${Math.round(g.boardPower)} W / ${Math.round(g.idlePower)} W`]);
  return table(['id', 'name', 'memory', 'bandwidth', 'host link', 'rent', 'buy', 'power busy / idle'], rows) +
    '\nPrices are rough estimates for comparison: override them in the scenario. Sources: src/hardware/gpus.ts.\n' +
    `A host without GPUs (gpus: [], or count: 0) answers at the CPU's rates: decode ${(CPU.ramBandwidth / 1e9).toFixed(0)} GB/s of RAM ÷ the file, ` +
    `prefill ${CPU.prefill8b} t/s for 8B (${CPU.source}).\n`;
}

export function modelsText(models: readonly ModelSpec[]): string {
  const rows = models.map((m) => [m.tag, m.params, m.quant, `${(m.file / 1e9).toFixed(1)} GB`, String(m.layers),
    `${m.heads}/${m.kvHeads}`, String(m.embedding), String(m.ctxTrain), m.embedding_only ? 'embedding' : '']);
  return table(['tag', 'params', 'quant', 'file', 'layers', 'heads/kv', 'embedding', 'trained ctx', ''], rows) +
    '\nSources: src/hardware/models.ts.\n';
}

export function storageText(storage: readonly StorageSpec[]): string {
  return table(['id', 'name', 'read', 'source'], storage.map((s) => [s.id, s.name, `${(s.bandwidth / 1e9).toFixed(2)} GB/s`, s.source]));
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(w[i]!)).join('  ').trimEnd();
  return [line(head), w.map((x) => '─'.repeat(x)).join('  '), ...rows.map(line)].join('\n') + '\n';
}
