import { InputError, msg, type Message } from '../diag/index.js';

export const flagError = (field: string, m: Message) => new InputError({ file: '(command line)', line: 1, field, problem: m[0], hint: m[1] });

/** `--listen HOST:PORT` (port 0 = any free port). */
export function parseListen(value: string, flag = '--listen'): { host: string; port: number } {
  const m = /^(.*):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !m[1] || port > 65535) throw flagError(flag, msg.badListen(value));
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/** A positive number flag (e.g. --speed 10). */
export function parsePositive(value: string, flag: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw flagError(flag, msg.notPositive(value));
  return n;
}

/** `--jitter 5%` or `--jitter 0.05`: a share in [0, 1). */
export function parseShare(value: string, flag: string): number {
  const t = value.trim();
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (!(n >= 0 && n < 1) || t === '' || t === '%') throw flagError(flag, msg.badJitter(value));
  return n;
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/** A socket that cannot be bound is the user's address (in use, not ours): one line; anything else is ours. */
export function listenError(e: unknown, address: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  return code && /^E(ADDRINUSE|ACCES|ADDRNOTAVAIL|NOTFOUND|AI_AGAIN)$/.test(code) ? flagError('--listen', msg.cannotListen(address, code)) : e;
}
