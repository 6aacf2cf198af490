import type { Scheduler } from './sched.js';

/**
 * Loads that hang (scenario fault `load_stall`; llm/llama_server.go
 * WaitUntilRunning 1281-1337, spec §2, §5.6): a load started inside a stall
 * period makes no progress, so llama-server's output never pushes the
 * OLLAMA_LOAD_TIMEOUT deadline back, and after that long the load fails with
 * 500 "timed out waiting for llama-server to start". All the while the
 * scheduler is blocked on it (loads are synchronous, sched.go:627): slow-path
 * requests wait, fast-path requests for loaded models still flow.
 * OLLAMA_LOAD_TIMEOUT ≤ 0 means no deadline: the load, and every slow-path
 * request behind it, waits forever (a client timeout still aborts it).
 *
 * Returns after how long a load of `model` starting now fails (Infinity: never
 * ends), or null when it makes progress.
 */
export function loadStallAfter(s: Scheduler, model: number): number | null {
  for (const st of s.cfg.loadStalls ?? []) {
    if (st.model === model && s.now >= st.from && s.now < st.until) return s.cfg.env.loadTimeout;
  }
  return null;
}
