import type { ResolvedScenario } from '../../src/config/types.js';
import { EVENT_NAMES, EventKind, type EventSink, REASON_NAMES, STATUS_NAMES } from '../../src/events/index.js';
import type { Req } from '../../src/ollama/index.js';
import { runScenario, type CandidateResult } from '../../src/sim/run-scenario.js';
import { requestId } from '../../src/workload/trace.js';

/** One event as a readable tuple: [t in s, event, model, request id or '', reason]. */
export type Row = [number, string, string, string, string];

export interface RequestRow {
  id: string;
  model: string;
  arrival: number;
  admitted: number | null;
  start: number | null;
  end: number | null;
  status: string;
  http: number;
  cold: boolean;
}

export interface Recorded {
  events: Row[];
  requests: Map<string, RequestRow>;
  result: CandidateResult;
}

const s = (us: number) => (Number.isNaN(us) ? null : us / 1e6);

/** Runs every candidate and records its full timeline, keyed by candidate name. */
export function record(sc: ResolvedScenario): Map<string, Recorded> {
  const out = new Map<string, Recorded>();
  const cur = new Map<string, { events: Row[]; requests: Map<string, RequestRow> }>();
  const slot = (c: string) => {
    let v = cur.get(c);
    if (!v) cur.set(c, (v = { events: [], requests: new Map() }));
    return v;
  };
  const results = runScenario(sc, {
    events: (c): EventSink => ({
      event(t, kind, model, request, reason, value) {
        slot(c).events.push([t / 1e6, EVENT_NAMES[kind]!, sc.modelNames[model]!,
          request >= 0 ? requestId(sc.trace, request) : '', kind === EventKind.route ? `host${value}` : REASON_NAMES[reason]!]);
      },
    }),
    requests: (c) => ({
      done(r: Req) {
        const id = requestId(sc.trace, r.index);
        slot(c).requests.set(id, {
          id, model: sc.modelNames[r.model]!, arrival: r.firstArrival / 1e6,
          admitted: s(r.admitted), start: s(r.start), end: s(r.end),
          status: STATUS_NAMES[r.status]!, http: r.http, cold: r.cold,
        });
      },
    }),
  });
  sc.candidates.forEach((c, i) => out.set(c.name, { ...slot(c.name), result: results[i]! }));
  return out;
}

/** Only the events of the given kinds, for compact assertions. */
export function only(rows: Row[], ...kinds: string[]): Row[] {
  return rows.filter((r) => kinds.includes(r[1]));
}

/** Only the rows before time t (s): keeps assertions to the part of a timeline a scenario is about. */
export function before(rows: Row[], t: number): Row[] {
  return rows.filter((r) => r[0] < t);
}
