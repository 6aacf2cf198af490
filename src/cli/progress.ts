import { createRequire } from 'node:module';
import type cliProgressType from 'cli-progress';

// Required on first use: a piped or CI run never loads it.
const cliProgress = () => createRequire(import.meta.url)('cli-progress') as typeof cliProgressType;

/**
 * A progress bar on stderr for long runs, only on a terminal: silent when piped
 * or in CI, and not shown at all for runs that finish in a blink.
 */
export function progressBar(label: string, minTotal = 200_000): { update(done: number, total: number): void; stop(): void } {
  const enabled = process.stderr.isTTY === true && !process.env.CI;
  let bar: cliProgressType.SingleBar | null = null;
  return {
    update(done, total) {
      if (!enabled || total < minTotal) return;
      if (!bar) {
        const { SingleBar, Presets } = cliProgress();
        bar = new SingleBar(
          { format: `${label} |{bar}| {percentage}% {value}/{total} requests, {eta_formatted} left`, stream: process.stderr, hideCursor: true },
          Presets.shades_classic,
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
