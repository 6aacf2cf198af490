/**
 * The resolver (a candidate → a world) will also be compiled for the browser (a
 * what-if page): nothing it imports, however indirectly, may need Node.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
const ROOTS = ['config/resolve.ts', 'config/what-if-checks.ts', 'config/sweep.ts', 'sim/world.ts', 'sim/run-scenario.ts'];

function closure(): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(join(SRC, file), 'utf8');
    const node = [...text.matchAll(/from '(node:[^']+)'/g)].map((m) => m[1]!);
    seen.set(file, node);
    for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) visit(join(dirname(file), `${m[1]}.ts`));
  };
  ROOTS.forEach(visit);
  return seen;
}

test('the resolver and everything it imports use no node: module', () => {
  const files = closure();
  expect(files.size).toBeGreaterThan(20);
  expect([...files].filter(([, node]) => node.length > 0).map(([f, node]) => `${f}: ${node.join(', ')}`)).toEqual([]);
});
