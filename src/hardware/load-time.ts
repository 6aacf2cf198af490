import { PageCache } from './page-cache.js';

/**
 * Cold-load time (field-notes §5, "suggested model"):
 *   load = runner start + file bytes ÷ min(read bandwidth, host link),
 * read bandwidth = the page cache's when the file is still cached, else the
 * storage's. Times in µs.
 */
export interface LoadTimeInputs {
  runnerStart: number; // µs
  storage: number; // bytes/s
  pageCache: number; // bytes/s
  link: number; // bytes/s (Infinity on a CPU-only host)
}

export function loadSeconds(file: number, inputs: LoadTimeInputs, cached: boolean): number {
  const read = Math.min(cached ? inputs.pageCache : inputs.storage, inputs.link);
  return inputs.runnerStart / 1e6 + file / read;
}

/**
 * The per-host load timer the scheduler calls at each load: it knows which
 * model files are cached. Models with a fixed `load:` time never consult it.
 */
export class HostLoadTimer {
  private readonly cache: PageCache;

  constructor(private readonly inputs: LoadTimeInputs, private readonly ram: number) {
    this.cache = new PageCache(ram);
  }

  /** µs to load `file` of `size` bytes now; the read leaves it in the cache. */
  loadTime(file: string, size: number, cpuInUse: number): number {
    const cached = this.cache.has(file);
    this.cache.read(file, size, cpuInUse);
    return Math.round(loadSeconds(size, this.inputs, cached) * 1e6);
  }

  /** RAM held by runners on the CPU changed. */
  cpuInUse(bytes: number): void {
    this.cache.shrink(this.ram - bytes);
  }
}
