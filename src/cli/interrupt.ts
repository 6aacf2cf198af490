/**
 * Ctrl-C (SIGINT): run `cleanup` (stop the progress bar and restore the
 * terminal, drop unfinished outputs, say what was kept), then exit 130 as a
 * shell expects of an interrupted command. Returns the function that removes
 * the handler once the work is done.
 */
export function onInterrupt(cleanup: () => void): () => void {
  const handler = () => {
    try {
      cleanup();
    } finally {
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
