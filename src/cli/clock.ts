import type { Clock } from '../serve/live.js';

/**
 * The one wall clock of ollamasim: `serve` and `record` run in real time, and
 * everything below the CLI takes this clock as an argument (tests may pass
 * their own). The simulation itself never reads it.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  wall: () => Date.now(),
};
