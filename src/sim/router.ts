import { fnv1a as hash, rngStream, type Rng } from '../engine/index.js';
import type { Scheduler } from '../ollama/index.js';

/**
 * A fleet's router: which Ollama server gets a request.
 * - round-robin: in turn;
 * - random: uniformly, from the scenario seed;
 * - least-outstanding: the server holding the fewest requests now (ties: the lowest index);
 * - model-affinity: a server that has the model loaded (the least busy of them), else the
 *   model's home server by consistent hashing — spilling when the home is saturated: to the
 *   least busy server when it holds more than twice the fleet's average in flight plus one,
 *   or to the server with the most free memory when the model does not fit beside what the
 *   home has loaded.
 */
export const ROUTERS = ['round-robin', 'least-outstanding', 'model-affinity', 'random'] as const;
export type RouterName = (typeof ROUTERS)[number];

export interface FleetSpec {
  hosts: number;
  router: RouterName;
}

export class Router {
  private turn = 0;
  private readonly rng: Rng;
  private readonly ring: { point: number; host: number }[] = [];

  constructor(private readonly spec: FleetSpec, private readonly hosts: readonly Scheduler[], seed: number) {
    this.rng = rngStream(seed, 'router');
    for (let h = 0; h < spec.hosts; h++) {
      for (let v = 0; v < 64; v++) this.ring.push({ point: hash(`host${h}#${v}`), host: h });
    }
    this.ring.sort((a, b) => a.point - b.point || a.host - b.host);
  }

  route(model: number): number {
    const n = this.hosts.length;
    switch (this.spec.router) {
      case 'round-robin': return this.turn++ % n;
      case 'random': return Math.min(n - 1, Math.floor(this.rng() * n));
      case 'least-outstanding': return this.leastBusy(() => true);
      case 'model-affinity': return this.affinity(model);
    }
  }

  private affinity(model: number): number {
    const key = this.hosts[0]!.cfg.models[model]!.key;
    const loaded = this.leastBusy((h) => this.hosts[h]!.loaded[key] !== null);
    if (loaded >= 0) return loaded;
    const home = this.home(this.hosts[0]!.cfg.keyNames[key]!);
    const mean = this.hosts.reduce((a, s) => a + s.inFlight, 0) / this.hosts.length;
    if (this.hosts[home]!.inFlight > 2 * mean + 1) return this.leastBusy(() => true);
    const size = this.hosts[0]!.cfg.models[model]!.vram;
    if (!(free(this.hosts[home]!) >= size)) {
      let best = home;
      for (let h = 0; h < this.hosts.length; h++) if (free(this.hosts[h]!) > free(this.hosts[best]!)) best = h;
      return best;
    }
    return home;
  }

  /** Consistent hashing: the first ring point at or after the key's hash. */
  private home(key: string): number {
    const x = hash(key);
    return (this.ring.find((p) => p.point >= x) ?? this.ring[0]!).host;
  }

  private leastBusy(ok: (h: number) => boolean): number {
    let best = -1;
    for (let h = 0; h < this.hosts.length; h++) {
      if (ok(h) && (best < 0 || this.hosts[h]!.inFlight < this.hosts[best]!.inFlight)) best = h;
    }
    return best;
  }
}

/** Free GPU memory of a server as Ollama sees it (other processes' share left out), bytes (Infinity on a CPU-only host). */
function free(s: Scheduler): number {
  if (s.cfg.gpus.length === 0) return Infinity;
  const taken = s.gpuTaken();
  let f = 0;
  for (let g = 0; g < s.cfg.gpus.length; g++) f += s.cfg.gpus[g]! - taken[g]!;
  return f;
}

