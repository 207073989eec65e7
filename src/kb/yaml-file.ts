/**
 * A parsed YAML file that remembers where each value came from, so schema
 * problems can name the line of the offending field.
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { KbErrorCode, KbProblem } from './errors.js';

export type Path = ReadonlyArray<string | number>;

export class YamlFile {
  readonly problems: KbProblem[] = [];
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(readonly file: string, text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    for (const e of [...this.doc.errors, ...this.doc.warnings]) {
      const line = e.linePos?.[0]?.line ?? this.lines.linePos(e.pos[0]).line;
      this.problems.push({ code: 'KB_YAML_SYNTAX', file, line, field: '', message: e.message.split('\n')[0] as string });
    }
    this.value = this.problems.length === 0 ? this.toJS() : undefined;
  }

  /** The document as plain values; an alias bomb (a few lines expanding to millions of values) is a problem, not a crash. */
  private toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 50 });
    } catch (err) {
      if (!(err instanceof ReferenceError)) throw err;
      this.problems.push({ code: 'KB_YAML_SYNTAX', file: this.file, line: 0, field: '', message: `${err.message}: write the values out instead of repeating anchors (*name)` });
      return undefined;
    }
  }

  /** Line of the value at path, or of its nearest ancestor that exists. */
  lineOf(path: Path): number {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  problem(path: Path, message: string, code: KbErrorCode = 'KB_SCHEMA'): void {
    this.problems.push({ code, file: this.file, line: this.lineOf(path), field: formatPath(path), message });
  }
}

export function formatPath(path: Path): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
}
