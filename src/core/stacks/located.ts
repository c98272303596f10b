/**
 * Multi-document YAML with positions: each document's plain value plus a way to turn a rule's field path
 * into a 0-based range, so that rules stay path-based (`['spec', 'versions', 0]`) and the editor shows
 * them where the field is. When the path does not exist, the range falls back to the deepest part that
 * does (the parent key), which is where a missing field belongs.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { Finding, Range, Severity } from '../findings';

export type FieldPath = readonly (string | number)[];

/** What a rule reports: the field it is about and the text; turned into a Finding with a range. */
export interface Issue {
  readonly code: string;
  readonly severity: Severity;
  readonly path: FieldPath;
  readonly message: string;
  /** Point at the key (default: the value). */
  readonly atKey?: boolean;
}

export interface LocatedDocument {
  /** The plain JS value (undefined for an empty document). */
  readonly value: unknown;
  /** Range of the whole document. */
  readonly range: Range;
  /** Syntax errors of this document. */
  readonly syntaxErrors: readonly Finding[];
  locate(path: FieldPath, atKey?: boolean): Range;
}

export function parseLocatedDocuments(text: string): LocatedDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  const toRange = (start: number, end: number): Range => {
    const s = lines.linePos(start);
    const e = lines.linePos(Math.max(start, end));
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  const nodeRange = (n: Node | null | undefined, fallback: Range): Range =>
    n?.range ? toRange(n.range[0], n.range[1]) : fallback;
  return list.map((doc) => {
    const whole = toRange(doc.range[0], doc.range[2]);
    const syntaxErrors: Finding[] = doc.errors.map((e) => ({
      code: 'YAML',
      severity: 'error',
      range: toRange(e.pos[0], e.pos[1]),
      message: e.message.split('\n')[0],
    }));
    let value: unknown;
    try {
      value = doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
    } catch {
      value = undefined;
    }
    const locate = (path: FieldPath, atKey = false): Range => {
      let node: unknown = doc.contents;
      let lastPair: Pair | undefined;
      let best = nodeRange(doc.contents as Node | null, whole);
      for (const seg of path) {
        let next: unknown;
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
          if (!pair) break;
          lastPair = pair;
          best = nodeRange(pair.key as Node, best);
          next = pair.value;
        } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
          lastPair = undefined;
          next = node.items[seg];
        } else break;
        node = next;
        if (next && typeof next === 'object' && 'range' in next) best = nodeRange(next as Node, best);
        else if (lastPair) best = nodeRange(lastPair.key as Node, best);
      }
      if (atKey && lastPair && isScalar(lastPair.key)) return nodeRange(lastPair.key as Node, best);
      return best;
    };
    return { value, range: whole, syntaxErrors, locate };
  });
}

export function toFinding(doc: LocatedDocument, issue: Issue): Finding {
  return { code: issue.code, severity: issue.severity, message: issue.message, range: doc.locate(issue.path, issue.atKey) };
}
