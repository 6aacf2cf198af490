import { FILE_FIELD, InputError } from './input-error.js';
import { msg } from './messages.js';

/**
 * A file that cannot be read or written as a whole, in words ("no such file",
 * "is a directory", "file is empty") and with no line: nothing in it was read.
 * `code` is Node's error code (ENOENT, EISDIR, …) or 'EMPTY'.
 */
export function fileError(file: string, code: string, writing = false): InputError {
  const [problem, hint] = writing ? msg.cannotWrite(code) : msg.cannotRead(code);
  return new InputError({ file, line: 0, field: FILE_FIELD, problem, ...(hint ? { hint } : {}) });
}
