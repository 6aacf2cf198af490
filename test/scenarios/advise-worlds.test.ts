/**
 * Issue #12's two worlds as fixtures (test/fixtures/): the README's closed-loop
 * users example, whose requests exist only in a run, and three models on one
 * 24 GiB GPU where client-sent keep_alives trigger the resurrection hang
 * (spec §4.3.4, §6.2 #18, ollama#17408).
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/load-scenario.js';
import { advise } from '../../src/plan/advise.js';
import { runScenario } from '../../src/sim/run-scenario.js';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures', name);

describe('advise on the issue\'s worlds', () => {
  test('closed-loop users: the advice reads the gaps of the requests the run makes (the trace itself is empty)', async () => {
    const sc = await loadScenario(fixture('users-chat.yaml'));
    expect(sc.trace.length).toBe(0);
    const a = advise(sc, { grid: [0, 60, -1] });
    expect(a.observed).toBe('users-chat');
    for (const m of a.models) {
      expect(m.requests).toBeGreaterThan(1000);
      expect(m.gap_p99_s).toBeGreaterThan(0);
      expect(m.keep_alive).not.toBe(0); // thinking users come back within seconds: unloading at once would pay a load each time
    }
    expect(a.comparison[0]!.requests).toBeGreaterThan(10000);
    expect(a.comparison[0]!.stuck).toBe(0);
  });

  test('three models on 24 GiB: clients sending 2m / 17m / 13m hang the scheduler, and summary.json names the resurrection with counts', async () => {
    const sc = await loadScenario(fixture('three-model-24gib.yaml'));
    const [fiveMin, clients] = runScenario(sc).map((r) => r.summary);
    expect(fiveMin!.pathologies.map((p) => p.kind)).not.toContain('resurrection');
    const hang = clients!.pathologies.find((p) => p.kind === 'resurrection')!;
    expect(hang).toMatchObject({ kind: 'resurrection', issue: 'ollama#17408' });
    expect(hang.requests).toBeGreaterThan(100);
    expect(hang.wait_s).toBeGreaterThan(3600);
    expect(clients!.latency_p95_s!).toBeGreaterThan(100 * fiveMin!.latency_p95_s!);
  });

  test('three models on 24 GiB: advise no longer recommends a hang — it names it and prefers a server-wide value', async () => {
    const a = advise(await loadScenario(fixture('three-model-24gib.yaml')));
    const best = a.comparison[0]!;
    expect(best.pathologies.map((p) => p.kind)).not.toContain('resurrection');
    expect(best.stuck).toBe(0);
    expect(best.rejected_503).toBe(0);
    expect(a.deployment).not.toBe('client');
    expect(a.models.every((m) => m.sent_by === 'server')).toBe(true);
    expect(a.client_sent_pathologies.map((p) => p.kind)).toContain('resurrection');
    expect(a.reasons.join('\n')).toMatch(/resurrection hang \(ollama#17408\)/);
    const fiveMin = a.comparison.find((c) => c.candidate === 'keep 5m')!;
    expect(best.latency_p95_s!).toBeLessThanOrEqual(fiveMin.latency_p95_s! * 1.05);
  });
});
