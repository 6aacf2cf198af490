/**
 * How series look, fixed across every chart of a report and across the run,
 * sweep and plan reports of one scenario: a model's colour comes from its
 * position in `models:`, a candidate's from its position in `candidates:`, and
 * each series also gets a dash and a point shape, so identical lines stay
 * distinguishable. No series is ever red: red is the capacity line.
 */
export const CAPACITY_COLOUR = '#d62728';
export const OTHER_COLOUR = '#a6a6a6';
export const OTHER = 'other';

/** Tableau/Category-style colours with the reds taken out (the capacity line's). */
const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22',
  '#393b79', '#e6ab02', '#637939', '#7b4173', '#6baed6', '#74c476', '#9e9ac8', '#f0027f',
];
const DASHES: number[][] = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [3, 5], [1, 3], [10, 2, 2, 2, 2, 2]];
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-left', 'triangle-right'];

export const colourAt = (i: number) => PALETTE[i % PALETTE.length]!;
export const dashAt = (i: number) => DASHES[i % DASHES.length]!;
export const shapeAt = (i: number) => SHAPES[i % SHAPES.length]!;

/**
 * A Vega-Lite scale mapping each name to the style of its position in `order`
 * ("other" gets `other`). With more names than styles, positions repeat every
 * `styles`; a name whose style another name of this chart already has (earlier
 * in `order`) takes the next free one, so no two series of a chart look alike.
 */
export function scaleFor(names: readonly string[], order: readonly string[], pick: (i: number) => unknown, other: unknown, styles = PALETTE.length) {
  const used = new Set<number>();
  const style = new Map<string, number>();
  for (const n of [...names].filter((x) => x !== OTHER).sort((a, b) => order.indexOf(a) - order.indexOf(b))) {
    let i = Math.max(0, order.indexOf(n)) % styles;
    for (let k = 0; k < styles && used.has(i); k++) i = (i + 1) % styles;
    used.add(i);
    style.set(n, i);
  }
  return { domain: [...names], range: names.map((n) => (n === OTHER ? other : pick(style.get(n)!))) };
}

/** The unit of a time axis, chosen from the span so ticks read as 2 h or 3 days, never 0.00020 h. */
export interface TimeUnit {
  name: 's' | 'min' | 'h' | 'days';
  /** µs per unit. */
  us: number;
  title: string;
}

export function timeUnit(spanUs: number): TimeUnit {
  const s = spanUs / 1e6;
  if (s <= 120) return { name: 's', us: 1e6, title: 'seconds from the start' };
  if (s <= 2 * 3600) return { name: 'min', us: 60e6, title: 'minutes from the start' };
  if (s <= 2 * 86400) return { name: 'h', us: 3600e6, title: 'hours from the start' };
  return { name: 'days', us: 86400e6, title: 'days from the start' };
}
