/**
 * The host's OS page cache, as an LRU of model files. A load reads the whole
 * file; the file then stays cached while RAM allows. RAM here is the host's
 * memory minus what runners hold on the CPU (offloaded layers, CPU-only
 * runners), so "unloaded two minutes ago" reloads at RAM speed while "never
 * loaded", or pushed out by other files, reads from storage.
 */
export class PageCache {
  /** file key → size, in least- to most-recently-read order (Map keeps insertion order). */
  private readonly files = new Map<string, number>();
  private used = 0;

  constructor(private readonly ram: number) {}

  has(file: string): boolean {
    return this.files.has(file);
  }

  /** Records a read of `file`: most recently used; older files go while the cache is over capacity. */
  read(file: string, size: number, cpuInUse: number): void {
    this.drop(file);
    this.files.set(file, size);
    this.used += size;
    this.shrink(this.ram - cpuInUse);
  }

  /** Runners took RAM: evict least recently read files until the rest fits. */
  shrink(capacity: number): void {
    for (const [file, size] of this.files) {
      if (this.used <= capacity) return;
      this.files.delete(file);
      this.used -= size;
    }
  }

  get bytes(): number {
    return this.used;
  }

  private drop(file: string): void {
    const size = this.files.get(file);
    if (size !== undefined) {
      this.files.delete(file);
      this.used -= size;
    }
  }
}
