/**
 * Closed-form queueing results used as oracles for the simulator (issue
 * "Trust"): with keep_alive -1 and no loads, one model with c parallel slots
 * is an M/M/c queue (FIFO slots, spec §5.7).
 */

/** Erlang C: probability that an arrival waits, for c servers and offered load a = λ/μ (< c). */
export function erlangC(c: number, a: number): number {
  // Iterative Erlang B, then C = B / (1 − ρ(1 − B)).
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho * (1 - b));
}

/** M/M/c mean wait in queue Wq = C(c, a) / (cμ − λ). */
export function mmcMeanWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** M/D/1 mean wait (Pollaczek–Khinchine with zero service variance): ρ / (2μ(1 − ρ)). */
export function md1MeanWait(lambda: number, service: number): number {
  const rho = lambda * service;
  return (rho * service) / (2 * (1 - rho));
}

/** Share of requests finding the model unloaded with keep_alive N, Poisson λ, negligible service: e^(−λN). */
export function coldShare(lambda: number, keepAlive: number): number {
  return Math.exp(-lambda * keepAlive);
}
