import { InputError, msg } from '../diag/index.js';
import { parseServerEnv } from '../ollama/envconfig.js';
import { type Axis, patchFor } from './grid.js';

/**
 * `--grid` values are checked like the CLI's other arguments. A scenario file
 * keeps Ollama's fallback for an invalid OLLAMA_* value (and warns), because
 * that is what the server would do with such a setting; on the command line the
 * same value is a typo, not a what-if: `OLLAMA_KEEP_ALIVE=5x` would silently be
 * Ollama's 5m, so the sweep would measure a cell other than the one it names.
 */
export function checkGridValues(axes: readonly Axis[]): void {
  for (const axis of axes) {
    const server = patchFor(axis.key, null).server as Record<string, unknown> | undefined;
    if (!server) continue;
    const name = Object.keys(server)[0]!;
    for (const value of axis.values) {
      parseServerEnv({ [name]: value }, (_, problem) => {
        throw gridError(axis.key, msg.gridFallback(String(value), problem));
      });
    }
  }
}

/**
 * A value from `--grid` that the resolver refuses (an unknown GPU, a count of
 * 1.5) is reported on the command line, not at a line of the scenario file that
 * never held it. `e` names the candidate field: `candidates[3].host.gpu`.
 */
export function fromCommandLine(e: InputError, axes: readonly Axis[]): InputError {
  const field = e.diagnostic.field.replace(/^candidates\[\d+\]\./, '');
  if (field === e.diagnostic.field) return e;
  const axis = axes.find((a) => dotted(patchFor(a.key, null)) === field);
  return axis ? gridError(axis.key, [e.diagnostic.problem, e.diagnostic.hint]) : e;
}

function gridError(key: string, [problem, hint]: readonly [string, string?]): InputError {
  return new InputError({ file: '(command line)', line: 1, field: `--grid ${key}`, problem, ...(hint ? { hint } : {}) });
}

/** { host: { gpu: null } } → "host.gpu" (model names may hold dots: they are one segment). */
function dotted(patch: Record<string, unknown>): string {
  const [key, value] = Object.entries(patch)[0]!;
  return value !== null && typeof value === 'object' ? `${key}.${dotted(value as Record<string, unknown>)}` : key;
}
