export { FILE_FIELD, InputError, formatDiagnostic, type Diagnostic } from './input-error.js';
export { fileError } from './file-error.js';
export { isBadValue, msg, warn, type Message } from './messages.js';
export { nearest } from './suggest.js';
