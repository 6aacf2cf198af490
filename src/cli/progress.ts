import cliProgress from 'cli-progress';

/** Cursor shown and line wrap on again: what the bar turned off while it drew. */
const RESTORE_TERMINAL = '\x1B[?25h\x1B[?7h';

export interface ProgressBar {
  update(done: number, total: number): void;
  stop(): void;
  /** Ctrl-C: stop drawing and give the terminal back as it was. */
  interrupt(): void;
}

/**
 * A progress bar on stderr for long runs, only on a terminal: silent when piped
 * or in CI, and not shown at all for runs that finish in a blink. It counts
 * what it says: `requests` simulated by `run`, `runs` (cell × replication) by
 * sweep and plan. OLLAMASIM_PROGRESS=always draws it anywhere (tests).
 */
export function progressBar(label: string, unit: 'requests' | 'runs', minTotal = unit === 'runs' ? 0 : 200_000): ProgressBar {
  const forced = process.env.OLLAMASIM_PROGRESS === 'always';
  const enabled = forced || (process.stderr.isTTY === true && !process.env.CI);
  let bar: cliProgress.SingleBar | null = null;
  const stop = () => {
    if (!bar) return;
    bar.stop();
    bar = null;
    // cli-progress restores the terminal only when stderr is one; a forced bar says it too.
    if (forced) process.stderr.write(RESTORE_TERMINAL);
  };
  return {
    update(done, total) {
      if (!enabled || total < minTotal) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `${label} |{bar}| {percentage}% {value}/{total} ${unit}, {eta_formatted} left`, stream: process.stderr, hideCursor: true, noTTYOutput: forced, gracefulExit: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop,
    interrupt() {
      const drawn = bar !== null;
      stop();
      if (drawn && process.stderr.isTTY) process.stderr.write(RESTORE_TERMINAL);
    },
  };
}
