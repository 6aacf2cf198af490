export { Engine, type Handler, type ArrivalSource } from './engine.js';
export { deriveSeed, fnv1a, rngStream, type Rng } from './rng.js';
export { SECOND, MINUTE, HOUR, toSeconds, fromSeconds } from './time.js';
