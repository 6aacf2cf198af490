/**
 * The texts Ollama logs about loads, requests and unloads, in every wording a
 * release used (found with `git log -S` in ollama/ollama and in logs users
 * posted in public issues; see test/fixtures/logs/SOURCES.md). Each entry names
 * where the line is written. A log of any release since v0.1.13 is read by
 * looking its messages up here; nothing else in src/logs knows a wording.
 */

/** What a line tells the importer. */
export type Meaning =
  | 'load_start' // a runner process is being started for a model (INFO)
  | 'load_first' // the scheduler picked a model to load (DEBUG; names it)
  | 'load_ready' // a runner answered its health check: "… started in N seconds" (INFO)
  | 'load_setup' // the scheduler has the runner (DEBUG; names it)
  | 'load_error' // a load failed (ERROR)
  | 'request_done' // a request released its runner (DEBUG; names the model)
  | 'timer' // the runner went idle and its keep_alive timer was set (DEBUG; duration=)
  | 'expire' // why a runner is to be unloaded (DEBUG) — see EXPIRE_REASON
  | 'expired' // the scheduler took an expiry off its channel (DEBUG)
  | 'unload' // the scheduler holds the lock and unloads (DEBUG)
  | 'unload_cancel' // the expiry came to nothing (DEBUG)
  | 'evict_info' // the memory check evicts a model it does not name (INFO, v0.30+)
  | 'vram_warn' // VRAM did not come back after an unload (WARN before v0.12, DEBUG after)
  | 'runner_stopped' // v0.1.x (one model at a time): the runner was closed — the resident model unloaded
  | 'listening'; // the server started: "Listening on ADDR (version V)" (INFO)

/** Exact msg= texts (slog) → meaning. */
export const MESSAGES: Record<string, Meaning> = {
  // llm/server.go v0.1.32–v0.11 ("starting llama server", cmd=… --model PATH)
  'starting llama server': 'load_start',
  // llm/server.go v0.12–v0.2x (the runner subcommand; cmd= may name no model with the new engine)
  'starting runner': 'load_start',
  // llm/llama_server.go v0.30+ ("starting llama-server"), preceded by llm/server.go:109 "using llama-server for model" model=PATH
  'starting llama-server': 'load_start',
  'using llama-server for model': 'load_start',
  // server/sched.go since v0.1.33 (model=PATH)
  'loading first model': 'load_first',
  // server/sched.go: model=PATH until v0.6, runner group (runner.name, runner.model, …) since v0.7
  'finished setting up runner': 'load_setup',
  'finished setting up': 'load_setup',
  // server/sched.go ("error loading llama server", error=…)
  'error loading llama server': 'load_error',
  // server/sched.go: modelPath= until v0.6, runner.* after (sched.go:412 at the spec's commit)
  'after processing request finished event': 'request_done',
  'runner with non-zero duration has gone idle, adding timer': 'timer',
  'runner with non-zero duration has gone idle, resetting timer': 'timer',
  'timer expired, expiring to unload': 'expire',
  'runner with zero duration has gone idle, expiring to unload': 'expire',
  'resetting model to expire immediately to make room': 'expire',
  'triggering expiration for failed load': 'expire',
  reloading: 'expire',
  'runner expired event received': 'expired',
  // "got lock to unload" until v0.6.8, "got lock to unload expired event" since (sched.go:430)
  'got lock to unload': 'unload',
  'got lock to unload expired event': 'unload',
  'expired event with positive ref count, retrying': 'unload_cancel',
  'duplicate expired event, ignoring': 'unload_cancel',
  // server/sched.go v0.30+ (sched.go:551, 1605, 1648 at the spec's commit)
  'llama-server model predicted to exceed available memory, evicting': 'evict_info',
  'evicting all other loaded models for OOM retry': 'evict_info',
  'runtime OOM detected; expiring loaded models to clear memory before next request': 'evict_info',
  "gpu VRAM usage didn't recover within timeout": 'vram_warn',
  // llm/llama.go v0.1.13–v0.1.31 (the log package): "starting llama runner" and, at every close, "llama runner stopped successfully"
  'starting llama runner': 'load_start',
  'llama runner stopped successfully': 'runner_stopped',
};

/** Messages with a variable tail (fmt.Sprintf / log.Printf with %v), by prefix. */
const PREFIXES: [string, Meaning][] = [
  ['error starting llama runner: ', 'load_error'], // llm/llama.go v0.1.x
  ['llama runner stopped with error: ', 'runner_stopped'], // llm/llama.go v0.1.x
];

/** Why an `expire` message unloads a runner (the reason written on the unloaded event). */
export const EXPIRE_REASON: Record<string, string> = {
  'timer expired, expiring to unload': 'keep_alive expired',
  'runner with zero duration has gone idle, expiring to unload': 'keep_alive 0',
  'resetting model to expire immediately to make room': 'evicted',
  'triggering expiration for failed load': 'load failed',
  reloading: 'reload',
};

/**
 * "llama runner started in 8.13 seconds" (llm/server.go v0.1.13–v0.2x, `%0.2f`;
 * `%f` through the log package before v0.1.32) and "llama-server started in 5.42
 * seconds" (llm/llama_server.go v0.30+): written when the runner first answers,
 * so the load began that many seconds earlier.
 */
export const LOAD_READY = /^(?:llama runner|llama-server) started in ([\d.]+) seconds$/;

/** routes.go: "Listening on 127.0.0.1:11434 (version 0.3.5)"; before v0.1.10 without the version. */
export const LISTENING = /^Listening on (\S+)(?: \(version ([^)]+)\))?$/;


/** The meaning of a slog or legacy message text, with the seconds of a load_ready. */
export function meaningOf(text: string): { meaning: Meaning; seconds?: number; version?: string } | null {
  const direct = MESSAGES[text];
  if (direct) return { meaning: direct };
  let m = LOAD_READY.exec(text);
  if (m) return { meaning: 'load_ready', seconds: Number(m[1]) };
  m = LISTENING.exec(text);
  if (m) return m[2] === undefined ? { meaning: 'listening' } : { meaning: 'listening', version: m[2] };
  for (const [prefix, meaning] of PREFIXES) if (text.startsWith(prefix)) return { meaning };
  return null;
}
