export { MetricsCollector } from './collector.js';
export { summarize, type CandidateSummary } from './summary.js';
export { quantileSorted } from './quantile.js';
export { type PathologySummary } from "./pathologies.js";
