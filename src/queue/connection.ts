import { Redis } from 'ioredis';
import { InputError, msg } from '../diag/index.js';

/**
 * A Redis connection for the sweep queue. `redis://` and `rediss://` (TLS) URLs,
 * with a password (`redis://:secret@host:6379/0`). Reachability is checked once,
 * with a short timeout: an unreachable queue is a mistake in the command line
 * (exit 2, naming the URL without its password), not a hang.
 */
export async function connectQueue(url: string): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) throw queueError(url, msg.queueUrl(shown(url)));
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let cause: Error | null = null;
  probe.on('error', (e: Error) => { cause ??= e; });
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    const why = (cause ?? e) as NodeJS.ErrnoException;
    throw queueError(url, msg.queueUnreachable(shown(url), why.code ?? why.message));
  } finally {
    probe.disconnect();
  }
  // BullMQ's blocking commands need unlimited retries per request on its own connections.
  const conn = new Redis(url, { maxRetriesPerRequest: null });
  conn.on('error', () => {});
  return conn;
}

/** The URL as it may be printed: the password replaced by ***. */
export function shown(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/, (_, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}

function queueError(url: string, m: [string, string?]): InputError {
  void url;
  return new InputError({ file: '(command line)', line: 1, field: '--queue', problem: m[0], hint: m[1] });
}
