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

/**
 * M/M/c sojourn time (wait + service), FIFO: P(T > t). With θ = cμ − λ and C the
 * Erlang C probability of waiting, the wait is 0 with probability 1 − C and
 * Exp(θ) otherwise, so
 *   P(T > t) = (1 − C)e^(−μt) + C e^(−θt) + Cθ/(θ − μ) · (e^(−μt) − e^(−θt))   (θ ≠ μ),
 * which for c = 1 is e^(−(μ − λ)t).
 */
export function mmcSojournTail(c: number, lambda: number, mu: number, t: number): number {
  const C = erlangC(c, lambda / mu);
  const theta = c * mu - lambda;
  const em = Math.exp(-mu * t);
  const et = Math.exp(-theta * t);
  if (Math.abs(theta - mu) < 1e-12) return (1 - C) * em + C * em * (1 + mu * t);
  return (1 - C) * em + C * et + ((C * theta) / (theta - mu)) * (em - et);
}

/** The q-quantile of the M/M/c sojourn time (bisection on the tail). */
export function mmcSojournQuantile(c: number, lambda: number, mu: number, q: number): number {
  if (lambda >= c * mu) return Infinity; // unstable: the queue grows without bound
  let lo = 0;
  let hi = 1 / mu;
  while (mmcSojournTail(c, lambda, mu, hi) > 1 - q) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (mmcSojournTail(c, lambda, mu, mid) > 1 - q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
