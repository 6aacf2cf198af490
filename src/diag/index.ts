export { InputError, formatDiagnostic, type Diagnostic } from './input-error.js';
export { msg, type Message } from './messages.js';
export { nearest } from './suggest.js';
