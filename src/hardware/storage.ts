/**
 * Where model files are read from, as sequential read bandwidth. A load reads
 * the file at min(storage, host link) (field-notes §5, "suggested model").
 *
 * Sources: ../shared/notes/field-notes.md §5 — ollama#5826 (Mixtral 8x22B q3, ~65 GB: local disk
 * cold 11 s → NVMe ≈ 6 GB/s est.; NFS 4 m 41 s → ≈ 0.23 GB/s est.; page-cache reload 4.2 s →
 * ≈ 15 GB/s est.), ollama#12431 (HDD ≈ 100 MB/s). SATA: the SATA III interface limit of 600 MB/s,
 * ≈ 0.55 GB/s in practice [est.].
 */
export interface StorageSpec {
  id: string;
  name: string;
  bandwidth: number; // bytes/s
  source: string;
}

export const STORAGE: readonly StorageSpec[] = [
  { id: 'nvme', name: 'local NVMe SSD', bandwidth: 6e9, source: 'ollama#5826: ~65 GB cold from local disk in 11 s (est. 6 GB/s)' },
  { id: 'sata-ssd', name: 'SATA SSD', bandwidth: 0.55e9, source: 'SATA III 600 MB/s interface limit (est. 0.55 GB/s)' },
  { id: 'hdd', name: 'hard disk', bandwidth: 0.1e9, source: 'ollama#12431: ~100 MB/s (a regression once gave ~30 MB/s)' },
  { id: 'nfs', name: 'network storage (NFS)', bandwidth: 0.23e9, source: 'ollama#5826: ~65 GB over NFS in 4 m 41 s (est. 0.23 GB/s)' },
];

/** The OS page cache: a reload of a file still cached reads at RAM speed. */
export const PAGE_CACHE: StorageSpec = {
  id: 'page-cache', name: 'OS page cache', bandwidth: 15e9,
  source: 'ollama#5826: page-cache-warm reload of ~65 GB in 4.2 s (est. 15 GB/s)',
};

export function storageById(id: string): StorageSpec | undefined {
  return STORAGE.find((s) => s.id === id);
}
