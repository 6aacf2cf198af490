import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { InputError, msg, type Message } from '../diag/index.js';

export type Path = readonly (string | number)[];

/**
 * A YAML (or JSON) file kept with its syntax tree, so that a problem found in
 * the plain values can be reported at the line where the user wrote it.
 */
export class YamlSource {
  private readonly lines = new LineCounter();
  private readonly doc: Document;

  constructor(readonly file: string, text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    const err = this.doc.errors[0];
    if (err) {
      const line = this.lines.linePos(err.pos[0]).line;
      throw new InputError({ file, line, field: '(yaml)', problem: msg.yamlSyntax(err.message.split('\n')[0]!)[0] });
    }
  }

  /** Plain values; an alias that points nowhere (or expands too far) is the user's mistake, not ours. */
  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      const line = this.danglingAliasLine() ?? 1;
      throw new InputError({ file: this.file, line, field: '(yaml)', problem: msg.yamlSyntax((e as Error).message.split('\n')[0]!)[0] });
    }
  }

  /** The parser accepts `*x` without an `&x` and only fails when expanding it: find where it was written. */
  private danglingAliasLine(): number | null {
    let line: number | null = null;
    visit(this.doc, {
      Alias: (_, node) => {
        if (node.resolve(this.doc) !== undefined) return undefined;
        line = this.lineAt(node.range?.[0] ?? 0);
        return visit.BREAK;
      },
    });
    return line;
  }

  /** The line of the node at `path` (of its key with `key`), or of the deepest ancestor that exists. */
  line(path: Path, key = false): number {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
        if (!pair) break;
        if (key && i === path.length - 1) return this.lineAt(rangeStart(pair.key) ?? offset);
        offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
        node = node.items[seg];
        offset = rangeStart(node) ?? offset;
      } else {
        break;
      }
    }
    return this.lineAt(offset);
  }

  error(path: Path, message: Message, atKey = false): InputError {
    return new InputError({ file: this.file, line: this.line(path, atKey), field: fieldName(path), problem: message[0], hint: message[1] });
  }

  private lineAt(offset: number): number {
    return this.lines.linePos(offset).line;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/** `workload.requests[3].at`, `models.llama3.1:8b.vram`. */
export function fieldName(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(scenario)';
}
