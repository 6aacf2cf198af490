import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr for long runs, only on a terminal: silent when piped
 * or in CI, and not shown at all for runs that finish in a blink.
 */
export function progressBar(label: string, minTotal = 200_000, unit = 'requests'): { update(done: number, total: number): void; stop(): void } {
  const enabled = process.stderr.isTTY === true && !process.env.CI;
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(done, total) {
      if (!enabled || total < minTotal) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `${label} |{bar}| {percentage}% {value}/{total} ${unit}, {eta_formatted} left`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      } else {
        bar.update(done);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
