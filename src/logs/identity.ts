/**
 * Which model a line is about. Ollama has named it four ways: `model=PATH` and
 * `modelPath=PATH` (a blob path, sched.go until v0.6), a `runner` group
 * (`runner.name=registry.ollama.ai/library/x:tag runner.model=PATH`, v0.7+:
 * runnerRef.LogValue, sched.go:1501 at the spec's commit) and, for models held
 * by digest (MLX), `runner.model=digest:HEX`. A load's command line names the
 * blob as `--model PATH`. The blob's sha256 is the identity; the name, when a
 * line gives one, labels it.
 */

export interface ModelRef {
  /** sha256 hex of the model blob, when the line gives it. */
  digest?: string;
  /** The model's name (runner.name), as `ollama ps` would show it. */
  name?: string;
  numCtx?: number;
  size?: number;
  vram?: number;
}

const SHA = /sha256[-:]([0-9a-f]{64})/;
const DIGEST = /^digest:([0-9a-f]{64})$/;

function digestOf(path: string | undefined): string | undefined {
  if (!path) return undefined;
  return (SHA.exec(path) ?? DIGEST.exec(path))?.[1];
}

/** The model a line's attributes name, or null when they name none. */
export function refOf(attrs: Record<string, string>): ModelRef | null {
  const ref: ModelRef = {};
  const digest = digestOf(attrs['runner.model'] ?? attrs.modelPath ?? attrs.model);
  if (digest) ref.digest = digest;
  const name = attrs['runner.name'];
  if (name) ref.name = shortName(name);
  if (attrs['runner.num_ctx']) ref.numCtx = Number(attrs['runner.num_ctx']);
  const size = humanBytes(attrs['runner.size']);
  if (size !== undefined) ref.size = size;
  const vram = humanBytes(attrs['runner.vram']);
  if (vram !== undefined) ref.vram = vram;
  return ref.digest || ref.name ? ref : null;
}

/** The blob and context size on a runner's command line (`--model PATH --ctx-size N`, or `-c N` for llama-server). */
export function refOfCommand(cmd: string): ModelRef | null {
  const digest = digestOf(/--model\s+(\S+)/.exec(cmd)?.[1]);
  if (!digest) return null;
  const ctx = /(?:--ctx-size|\s-c)\s+(\d+)/.exec(cmd);
  return ctx ? { digest, numCtx: Number(ctx[1]) } : { digest };
}

/** registry.ollama.ai/library/qwen3:8b → qwen3:8b, as Ollama's ShortName does. */
export function shortName(name: string): string {
  return name.replace(/^registry\.ollama\.ai\/library\//, '');
}

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** format.HumanBytes2 ("641.8 MiB") back to bytes (to its printed precision). */
export function humanBytes(text: string | undefined): number | undefined {
  const m = text ? /^([\d.]+) ([KMGT]i?B|B)$/.exec(text) : null;
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

/** The label of a model known only by its blob: its first 12 hex digits, as `ollama ps` prints an ID. */
export const digestLabel = (digest: string): string => `sha256-${digest.slice(0, 12)}`;
