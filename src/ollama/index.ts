export { Scheduler, type SchedulerConfig, type SchedEngine, type RequestSink, type LoadCrash, maxRunners, Ev, Prio } from './sched.js';
export { handleEvent, arrive, endRun } from './dispatch.js';
export { loadWarm } from './load.js';
export type { SchedModel, Req } from './types.js';
export { parseServerEnv, SERVER_ENV_NAMES, type ServerEnv } from './envconfig.js';
export { parseRequestKeepAlive, formatKeepAlive, ABSENT, FOREVER, INVALID } from './keep-alive.js';
export { parseGoDuration } from './duration.js';
export { defaultContextTier } from './needs-reload.js';
export { numParallelFor } from './num-parallel.js';
