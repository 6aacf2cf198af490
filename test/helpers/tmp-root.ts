/**
 * vitest globalSetup: every test's temporary folders (mkdtemp under
 * os.tmpdir(), in the test process and in the CLIs and threads it starts)
 * go under one folder made for the run, removed when the run ends — a full
 * `npm test` used to leave some 400 folders in /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'ollamasim-test-run-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
