/**
 * A production-like world for the report: ~90 models on two 80 GiB GPUs, three
 * weeks of Zipf-popular diurnal traffic, three candidates. Most models are rare
 * and small; together they never fit, so the run loads, evicts and idles. Used
 * by the report's browser test and by the bench's report workload.
 */
export function manyModelsYaml(models = 90, weeks = 3): string {
  const names = Array.from({ length: models }, (_, i) => `team-${String(i + 1).padStart(2, '0')}/model-${['chat', 'code', 'embed', 'rerank', 'summarise'][i % 5]}:${[7, 8, 13, 14, 22, 32][i % 6]}b-q4`);
  const lines = names.map((n, i) => `  "${n}": { vram: ${(2 + ((i * 7) % 13)).toFixed(1)}GiB, load: ${2 + (i % 11)}s }`);
  return `name: many models, three weeks
seed: 7
server: { OLLAMA_MAX_LOADED_MODELS: 24 }
host: { gpus: [ { vram: 80GiB }, { vram: 80GiB } ] }
models:
${lines.join('\n')}
workload:
  synthetic:
    length: ${weeks * 7 * 24}h
    zipf: { models: [${names.map((n) => `"${n}"`).join(', ')}], s: 1.1, rate: 200/h, peak_hour: 14, trough: 0.2, duration: { median: 2, p95: 12 } }
candidates:
  - { name: keep 5m, server: { OLLAMA_KEEP_ALIVE: 5m } }
  - { name: keep 30m, server: { OLLAMA_KEEP_ALIVE: 30m } }
  - { name: keep forever, server: { OLLAMA_KEEP_ALIVE: "-1" } }
`;
}
