import { describe, expect, test } from 'vitest';
import { HostLoadTimer, loadSeconds } from '../../../src/hardware/load-time.js';
import { PageCache } from '../../../src/hardware/page-cache.js';
import { PAGE_CACHE, storageById } from '../../../src/hardware/storage.js';

const GiB = 2 ** 30;
const inputs = (storage: string) => ({ runnerStart: 1e6, storage: storageById(storage)!.bandwidth, pageCache: PAGE_CACHE.bandwidth, link: 25e9 });

describe('load time = runner start + bytes ÷ min(read bandwidth, host link) (field-notes §5)', () => {
  test('the Mixtral 8x22B figures of ollama#5826: page cache ≈ 4.2 s, local disk ≈ 11 s, NFS ≈ 4 m 41 s', () => {
    const file = 65e9;
    const noStart = (s: string, cached: boolean) => loadSeconds(file, { ...inputs(s), runnerStart: 0 }, cached);
    expect(noStart('nvme', true)).toBeCloseTo(4.33, 1);
    expect(noStart('nvme', false)).toBeCloseTo(10.8, 1);
    expect(noStart('nfs', false)).toBeCloseTo(282.6, 0);
  });

  test('8B Q4 (4.9 GB): NVMe ≈ 1.8 s, HDD ≈ 50 s, with a 1 s runner start', () => {
    expect(loadSeconds(4.9e9, inputs('nvme'), false)).toBeCloseTo(1.82, 2);
    expect(loadSeconds(4.9e9, inputs('hdd'), false)).toBeCloseTo(50, 0);
  });

  test('a reload of a file still in the page cache reads at RAM speed; never-loaded reads from storage', () => {
    const t = new HostLoadTimer(inputs('nvme'), 64 * GiB);
    const cold = t.loadTime('a', 4.9e9, 0);
    const warm = t.loadTime('a', 4.9e9, 0);
    expect(cold).toBe(Math.round((1 + 4.9e9 / 6e9) * 1e6));
    expect(warm).toBe(Math.round((1 + 4.9e9 / 15e9) * 1e6));
    expect(t.loadTime('b', 4.9e9, 0)).toBe(cold);
  });

  test('the page cache is LRU by file within RAM less what runners hold on the CPU', () => {
    const c = new PageCache(10);
    c.read('a', 4, 0);
    c.read('b', 4, 0);
    c.read('a', 4, 0); // a is now the most recent
    c.read('c', 4, 0); // 12 > 10: b, the least recent, goes
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([true, false, true]);
    c.shrink(5); // a CPU runner takes 5: only the most recent survives
    expect([c.has('a'), c.has('c')]).toEqual([false, true]);
    expect(c.bytes).toBe(4);
  });
});
