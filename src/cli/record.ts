import { msg } from '../diag/index.js';
import { RecordingFiles } from '../io/recording-files.js';
import { startRecord } from '../record/proxy.js';
import { systemClock } from './clock.js';
import { flagError, listenError, parseListen, parsePositive, untilSignal } from './listen.js';

export interface RecordFlags {
  upstream: string;
  listen: string;
  out: string;
  poll: string;
}

/** `ollamasim record`: the recording proxy, until Ctrl-C; then the trace is complete. */
export async function recordCommand(flags: RecordFlags): Promise<void> {
  const { host, port } = parseListen(flags.listen);
  let upstream: URL;
  try {
    upstream = new URL(flags.upstream);
  } catch {
    throw flagError('--upstream', msg.badUpstream(flags.upstream));
  }
  if (upstream.protocol !== 'http:') throw flagError('--upstream', msg.badUpstream(flags.upstream));
  const pollMs = parsePositive(flags.poll, '--poll') * 1000;
  const files = new RecordingFiles(flags.out);
  let handle;
  try {
    handle = await startRecord({ upstream, host, port, clock: systemClock, pollMs, sink: files });
  } catch (e) {
    throw listenError(e, flags.listen);
  }
  process.stderr.write(`ollamasim record: ${handle.url} → ${upstream.origin}, writing ${flags.out}/ (Ctrl-C stops)\n`);
  // A proxy that runs for a week must not die of one bad exchange: say it and go on.
  process.on('uncaughtException', (e) => process.stderr.write(`ollamasim record: ${e.message} (the proxy goes on)\n`));
  await untilSignal();
  await handle.close();
  await files.close();
  process.stderr.write(`ollamasim record: ${handle.recorder.doc.requests.total} requests recorded in ${flags.out}/\n`);
}
