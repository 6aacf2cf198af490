import { CPU } from '../hardware/throughput.js';
import type { CandidateExplanation } from '../sim/explain.js';
import type { GpuSpec } from '../hardware/gpus.js';
import type { ModelSpec } from '../hardware/models.js';
import type { StorageSpec } from '../hardware/storage.js';

const GiB = 2 ** 30;
const gib = (b: number) => `${(b / GiB).toFixed(2)} GiB`;

/** `ollamasim explain`: per model, P with its inputs, placement, load times, a typical request. */
export function explainText(list: CandidateExplanation[]): string {
  const out: string[] = [];
  for (const c of list) {
    out.push(`candidate "${c.candidate}": GPUs ${c.gpus.length ? c.gpus.map(gib).join(' + ') : 'none (CPU-only)'}, default context tier ${c.tier}`);
    out.push(`  Ollama ${c.version} (era ${c.era})${c.differences.length ? ', unlike the current version:' : ''}`);
    for (const d of c.differences) out.push(`    - ${d}`);
    if (c.reserved.some((b) => b > 0)) {
      // Ollama's free memory: min(reported free, total − loaded); other processes lower the reported free.
      out.push(`  held by other processes: ${c.reserved.map(gib).join(' + ')}; free on an empty host ${c.gpus.map((g, i) => gib(g - c.reserved[i]!)).join(' + ')}`);
    }
    for (const m of c.models) {
      out.push(`  ${m.model} (${m.source})`);
      if (m.fileBytes !== null && m.kvBytes !== null) {
        out.push(`    P = file ${gib(m.fileBytes)} + KV ${gib(m.kvBytes)} (num_ctx ${m.numCtx}${m.ctxAuto ? ', automatic' : ''} × ${m.numParallel} slot${m.numParallel > 1 ? 's' : ''}) + batch surcharge ${gib(m.surcharge)} = ${gib(m.p)}`);
      } else {
        out.push(`    P = ${gib(m.p)} (given in the scenario)`);
      }
      out.push(`    actual VRAM ${gib(m.vram)}; alone it goes on ${m.placement}${m.fitsAlone ? '' : ` (more than ${c.era === 'E3' ? '80 % of ' : ''}free memory: it only loads as the first model)`}`);
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
    }
  }
  return out.join('\n') + '\n';
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
