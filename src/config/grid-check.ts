import { InputError, msg, type Message } from '../diag/index.js';
import { parseServerEnv } from '../ollama/envconfig.js';
import { type Axis, patchFor } from './grid.js';

/**
 * `--grid` values are checked like the CLI's other arguments. A scenario file
 * keeps Ollama's fallback for an invalid OLLAMA_* value (and warns), because
 * that is what the server would do with such a setting; on the command line the
 * same value is a typo, not a what-if: `OLLAMA_KEEP_ALIVE=5x` would silently be
 * Ollama's 5m, so the sweep would measure a cell other than the one it names.
 */
export function checkGridValues(axes: readonly Axis[], flag: (key: string) => string = (key) => `--grid ${key}`): void {
  for (const axis of axes) {
    const server = patchFor(axis.key, null).server as Record<string, unknown> | undefined;
    if (!server) continue;
    const name = Object.keys(server)[0]!;
    for (const value of axis.values) {
      parseServerEnv({ [name]: value }, (_, problem) => {
        throw argError(flag(axis.key), msg.gridFallback(String(value), problem));
      });
    }
  }
}

/**
 * A value from a sweep axis that the resolver refuses (an unknown GPU, a count
 * of 1.5) is reported where the axis was written — on the command line for
 * `--grid`, at the `sweep:` entry for the scenario's own — not at a candidate
 * line of the file that never held it. `e` names the candidate field:
 * `candidates[3].host.gpu`. `inFile` makes the error for a `sweep:` axis.
 */
export function fromAxis(e: InputError, cli: readonly Axis[], file: readonly Axis[], inFile: (key: string, m: Message) => InputError): InputError {
  const field = e.diagnostic.field.replace(/^candidates\[\d+\]\./, '');
  if (field === e.diagnostic.field) return e;
  const sets = (a: Axis) => { const d = dotted(patchFor(a.key, null)); return d === field || d.startsWith(`${field}.`) || field.startsWith(`${d}.`); };
  const m: Message = [e.diagnostic.problem, ...(e.diagnostic.hint ? [e.diagnostic.hint] : [])] as Message;
  // The command line's axes come last, so they win over the file's for the same key.
  const axis = [...cli].reverse().find(sets);
  if (axis) return gridError(axis.key, m);
  const own = [...file].reverse().find(sets);
  return own ? inFile(own.key, m) : e;
}

function gridError(key: string, m: readonly [string, string?]): InputError {
  return argError(`--grid ${key}`, m);
}

function argError(field: string, [problem, hint]: readonly [string, string?]): InputError {
  return new InputError({ file: '(command line)', line: 0, field, problem, ...(hint ? { hint } : {}) });
}

/** { host: { gpu: null } } → "host.gpu" (model names may hold dots: they are one segment). */
function dotted(patch: Record<string, unknown>): string {
  const [key, value] = Object.entries(patch)[0]!;
  return value !== null && typeof value === 'object' ? `${key}.${dotted(value as Record<string, unknown>)}` : key;
}
