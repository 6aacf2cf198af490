/**
 * The charting stack as one module: `npm run build` bundles this file (with
 * vega and vega-lite inside it) into dist/bundle/charting/ (src/cli/bundle.ts),
 * which charting-stack.ts loads in one read instead of ~60 package files.
 */
export * as vega from 'vega';
export * as vl from 'vega-lite';
