import type { ResolvedUsers } from '../config/types.js';
import { type ArrivalSource, type Rng, rngStream } from '../engine/index.js';
import type { Req, RequestSink } from '../ollama/index.js';
import { draw, exponential } from '../workload/generators.js';
import type { ServiceTimes } from './world.js';

/**
 * Closed-loop users (a chat UI): each user sends a request, waits for its
 * answer (whatever it is), thinks, and sends the next, until the workload's
 * length. Their requests are made during the run, so a slower setting also
 * means fewer requests — the feedback an open trace cannot show. Requests get
 * indices after the trace's own. Draws come from the scenario seed, one stream
 * per purpose; the order of draws follows the (deterministic) simulation.
 */
export interface UserRequest {
  model: number;
  duration: number; // µs
  /** The duration came from tokens at the model's rates. */
  fromTokens: boolean;
}

export class ClosedLoopUsers implements ArrivalSource, RequestSink {
  /** (time, user) of the users' next sends, kept sorted; users thinking or waiting are not in it. */
  private readonly due: { at: number; user: number }[] = [];
  private readonly owner = new Map<number, number>(); // request index → user
  private readonly made: UserRequest[] = [];
  private readonly pick: Rng;
  private readonly work: Rng;
  private readonly think: Rng;
  private nextIndex: number;

  constructor(
    private readonly users: ResolvedUsers,
    seed: number,
    private readonly firstIndex: number,
    private readonly next: RequestSink,
    private readonly send: (index: number) => void,
    /** µs of work on this candidate's host (src/sim/world.ts): for tokens, or for a drawn duration (measured_on). */
    private readonly service: Pick<ServiceTimes, 'ofTokens' | 'ofDuration'>,
  ) {
    this.pick = rngStream(seed, 'users/models');
    this.work = rngStream(seed, 'users/work');
    this.think = rngStream(seed, 'users/think');
    this.nextIndex = firstIndex;
    // Users start spread over one think time, so they do not all arrive at 0.
    for (let u = 0; u < users.count; u++) this.schedule(u, this.thinkTime());
  }

  /** The model and duration of a request a user made (for client retries too). */
  request(index: number): UserRequest {
    return this.made[index - this.firstIndex]!;
  }

  get count(): number {
    return this.made.length;
  }

  peekTime(): number {
    return this.due[0]?.at ?? Infinity;
  }

  deliver(): void {
    const { user } = this.due.shift()!;
    const index = this.nextIndex++;
    const model = this.chooseModel();
    this.made.push({ model, duration: this.workTime(model), fromTokens: this.users.duration === null });
    this.owner.set(index, user);
    this.send(index);
  }

  done(r: Req): void {
    const user = this.owner.get(r.index);
    if (user !== undefined) {
      this.owner.delete(r.index);
      const answered = Number.isNaN(r.end) ? r.arrival : r.end;
      this.schedule(user, answered + this.thinkTime());
    }
    this.next.done(r);
  }

  private schedule(user: number, at: number): void {
    if (at > this.users.end) return;
    let i = this.due.length;
    while (i > 0 && (this.due[i - 1]!.at > at || (this.due[i - 1]!.at === at && this.due[i - 1]!.user > user))) i--;
    this.due.splice(i, 0, { at, user });
  }

  private thinkTime(): number {
    const t = this.users.think;
    const s = 'mean' in t ? exponential(this.think, t.mean) : draw(this.think, t);
    return Math.max(0, Math.round(s * 1e6));
  }

  private chooseModel(): number {
    let x = this.pick();
    const { models, weights } = this.users;
    for (let k = 0; k < models.length - 1; k++) {
      x -= weights[k]!;
      if (x < 0) return models[k]!;
    }
    return models[models.length - 1]!;
  }

  /** Seconds of work: the duration distribution, else tokens at the model's rates. */
  private workTime(model: number): number {
    const u = this.users;
    if (u.duration) return Math.max(1, this.service.ofDuration(model, Math.round(draw(this.work, u.duration) * 1e6)));
    const prompt = u.promptTokens ? Math.max(0, Math.round(draw(this.work, u.promptTokens))) : 0;
    const output = u.outputTokens ? Math.max(0, Math.round(draw(this.work, u.outputTokens))) : 0;
    return this.service.ofTokens(model, prompt, output);
  }
}
