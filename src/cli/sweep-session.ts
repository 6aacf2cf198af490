import { readFileSync } from 'node:fs';
import { OutDir } from '../io/out-dir.js';
import { PartialCells, scenarioHash } from '../io/partial-cells.js';
import type { SweepResult } from '../plan/sweep.js';
import { argError } from './args.js';
import { onInterrupt } from './interrupt.js';
import { packageVersion } from './process-hygiene.js';
import { progressBar } from './progress.js';
import { type PoolOptions, runSweep } from './sweep-pool.js';

export interface SessionOptions {
  out?: string;
  resume?: boolean;
  /** The bar's label: sweeping, planning. */
  label: string;
  /** Whatever else decides the runs' results besides the scenario (axes, limits): part of the hash. */
  key: unknown;
}

/**
 * A sweep (or plan) as the command line runs it: a bar counting runs; with
 * --out, each finished run kept in DIR.partial/ as it ends and the outputs
 * written beside DIR until complete; on Ctrl-C, the bar stopped and the terminal
 * restored, DIR untouched, the kept runs named, exit 130; with --resume, the
 * kept runs taken back instead of being run again.
 */
export class SweepSession {
  readonly out: OutDir | undefined;
  private store: PartialCells | undefined;
  private readonly stopListening: () => void;
  private readonly bar;

  constructor(private readonly file: string, private readonly o: SessionOptions) {
    if (o.resume && o.out === undefined) throw argError('--resume', ['needs --out', 'the finished runs of an interrupted sweep are kept in DIR.partial/ beside its --out DIR']);
    this.out = o.out !== undefined ? OutDir.open(o.out) : undefined;
    this.bar = progressBar(o.label, 'runs');
    this.stopListening = onInterrupt(() => {
      this.bar.interrupt();
      this.out?.abort();
      const kept = this.store?.count() ?? 0;
      process.stderr.write(this.store && kept > 0
        ? `interrupted: ${o.out} left as it was; ${kept} finished run${kept === 1 ? '' : 's'} kept in ${this.store.dir} (the same command with --resume continues from them)\n`
        : `interrupted: nothing written${o.out !== undefined ? ` (${o.out} left as it was)` : ''}\n`);
    });
  }

  async run(pool: Omit<PoolOptions, 'onProgress' | 'store'>): Promise<SweepResult> {
    const version = packageVersion();
    const text = readFileSync(this.file, 'utf8');
    const { out: dir, resume } = this.o;
    try {
      return await runSweep(this.file, {
        ...pool,
        onProgress: (d, t) => this.bar.update(d, t),
        ...(dir !== undefined ? {
          store: (base) => {
            const store = (this.store = new PartialCells(dir, scenarioHash(version, text, base, this.o.key)));
            return resume ? store : { put: (c, r, n, s) => store.put(c, r, n, s) };
          },
        } : {}),
      });
    } finally {
      this.bar.stop();
    }
  }

  /** Moves the written files into DIR and drops the kept runs they made redundant. */
  commit(command: string): void {
    this.out?.commit(command, packageVersion());
    if (this.o.out !== undefined) this.store?.clear(this.o.out);
  }

  /** Always, at the end: no handler left, no temporary folder left. */
  close(): void {
    this.stopListening();
    this.out?.abort();
  }
}
