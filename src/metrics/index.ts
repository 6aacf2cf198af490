export { MetricsCollector } from './collector.js';
export { summarize, type CandidateSummary, type Pathology } from './summary.js';
export { quantileSorted, quantilesInPlace } from './quantile.js';
export { type PathologySummary } from "./pathologies.js";
