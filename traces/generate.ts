/**
 * Regenerates the synthetic traces the bundled scenarios replay:
 *   npm run traces
 * Every draw comes from the seed below through src/workload/synthetic.ts, so the
 * files are byte-identical on every machine. Columns: at,model,duration (s).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { synthesize, type SyntheticModel } from '../src/workload/synthetic.js';

const SEED = 20261125;

type Spec = Omit<SyntheticModel, 'model'>;

const TRACES: Record<string, { hours: number; models: Spec[]; extra?: () => string[] }> = {
  // A team of about fifteen on one 24 GiB box: chat, code assistant, and an occasional big model.
  'team-day.csv': {
    hours: 24,
    models: [
      { name: 'llama3.1:8b', peakPerHour: 40, peakHour: 14, troughRatio: 0.02, durationMedian: 6, durationP95: 25 },
      { name: 'qwen2.5-coder:14b', peakPerHour: 150, peakHour: 11, troughRatio: 0.01, durationMedian: 1.5, durationP95: 5 },
      { name: 'mistral-small:22b', peakPerHour: 6, peakHour: 15, troughRatio: 0, durationMedian: 20, durationP95: 60 },
    ],
  },
  // Code completion for a team: short, very frequent requests during working hours.
  'codecomplete-day.csv': {
    hours: 24,
    models: [
      { name: 'qwen2.5-coder:7b', peakPerHour: 900, peakHour: 11, troughRatio: 0.005, durationMedian: 0.4, durationP95: 1.2 },
    ],
  },
  // A primary chat model and two auxiliaries (embeddings, a small guard model) behind a gateway.
  'gateway-day.csv': {
    hours: 24,
    models: [
      { name: 'llama3.1:8b', peakPerHour: 120, peakHour: 14, troughRatio: 0.05, durationMedian: 5, durationP95: 20 },
      { name: 'nomic-embed-text', peakPerHour: 60, peakHour: 10, troughRatio: 0.02, durationMedian: 0.2, durationP95: 0.6 },
      { name: 'llama-guard3:1b', peakPerHour: 20, peakHour: 14, troughRatio: 0.02, durationMedian: 0.8, durationP95: 2 },
    ],
  },
  // One developer on a laptop: a handful of chats spread over the day.
  'laptop-day.csv': {
    hours: 24,
    models: [
      { name: 'llama3.2:3b', peakPerHour: 8, peakHour: 15, troughRatio: 0, durationMedian: 8, durationP95: 30 },
    ],
  },
};

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

for (const [file, spec] of Object.entries(TRACES)) {
  const models = spec.models.map((m, i) => ({ ...m, model: i }));
  const rows = synthesize(models, spec.hours, SEED);
  const lines = rows.map((r) => `${r.at},${models[r.model]!.name},${r.duration}`);
  writeFileSync(here(file), ['at,model,duration', ...lines].join('\n') + '\n');
  console.log(`${file}: ${rows.length} requests`);
}

// A nightly batch: from 02:00, 400 documents, one every 30 s, each 6–10 s of work (never overlapping).
const batch = ['at,model,duration'];
for (let i = 0; i < 400; i++) batch.push(`${7200 + 30 * i},qwen2.5:14b,${(6 + ((i * 7919) % 5)).toFixed(1)}`);
writeFileSync(here('nightly-batch.csv'), batch.join('\n') + '\n');
console.log(`nightly-batch.csv: 400 requests`);
