import { msg, warn } from '../diag/index.js';
import { loadScenario } from '../io/load-scenario.js';
import { startServe } from '../serve/server.js';
import { systemClock } from './clock.js';
import { flagError, listenError, parseListen, parsePositive, parseShare, untilSignal } from './listen.js';

export interface ServeFlags {
  listen: string;
  speed: string;
  jitter: string;
  candidate?: string;
  outputTokens: string;
}

/** `ollamasim serve SCENARIO`: the Ollama API answered by the simulator until Ctrl-C. */
export async function serveCommand(file: string, flags: ServeFlags): Promise<void> {
  const { host, port } = parseListen(flags.listen);
  const speed = parsePositive(flags.speed, '--speed');
  const jitter = parseShare(flags.jitter, '--jitter');
  const outputTokens = parsePositive(flags.outputTokens, '--output-tokens');
  const sc = await loadScenario(file);
  const names = sc.candidates.map((c) => c.name);
  if (flags.candidate && !names.includes(flags.candidate)) throw flagError('--candidate', msg.unknownCandidate(flags.candidate, names));
  // The clients bring the workload: a scenario without one is normal here.
  for (const w of sc.warnings) if (w !== warn.emptyWorkload(file)) process.stderr.write(`warning: ${w}\n`);
  const c = sc.candidates.find((x) => x.name === (flags.candidate ?? names[0]))!;
  if (c.fleet || c.retry || sc.users) process.stderr.write(`warning: ${warn.serveOneServer(file)}\n`);
  let handle;
  try {
    handle = await startServe({ scenario: sc, candidate: flags.candidate, host, port, speed, jitter, outputTokens: Math.round(outputTokens), clock: systemClock });
  } catch (e) {
    throw listenError(e, flags.listen);
  }
  const candidate = flags.candidate ?? names[0];
  process.stderr.write(`ollamasim serve: ${sc.name}, candidate "${candidate}", at ${speed}× real time, on ${handle.url} (Ctrl-C stops)\n`);
  await untilSignal();
  await handle.close();
}
