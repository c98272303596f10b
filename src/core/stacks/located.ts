/**
 * Multi-document YAML with positions: each document's plain value plus a way to turn a rule's field path
 * into a 0-based range, so that rules stay path-based (`['spec', 'versions', 0]`) and the editor shows
 * them where the field is. When the path does not exist, the range falls back to the deepest part that
 * does (the parent key), which is where a missing field belongs.
 */
import { CORE_SCHEMA } from 'js-yaml';
import type { Finding, Range, Severity } from '../findings';
import { deref, parseYamlStream, type YNode, type YPair } from '../yaml/parse';

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

/**
 * The documents of a Kubernetes-style YAML stream: YAML 1.2 core schema (no timestamps, no `<<` merges),
 * a repeated key overrides the earlier one (like kubectl).
 */
export function parseLocatedDocuments(text: string): LocatedDocument[] {
  const stream = parseYamlStream(text, { schema: CORE_SCHEMA, duplicateKeysOverride: true });
  return stream.documents.map((doc) => {
    const locate = (path: FieldPath, atKey = false): Range => {
      let node = deref(doc.root);
      let lastPair: YPair | undefined;
      let best = node && !isEmpty(node) ? node.range : doc.range;
      for (const seg of path) {
        let next: YNode | undefined;
        if (node?.kind === 'map') {
          lastPair = [...node.pairs].reverse().find((p) => p.keyText === String(seg));
          if (!lastPair) break;
          best = lastPair.key.range;
          next = lastPair.value;
        } else if (node?.kind === 'seq' && typeof seg === 'number' && seg < node.items.length) {
          lastPair = undefined;
          next = node.items[seg];
        } else break;
        node = deref(next);
        if (next && !isEmpty(next)) best = next.range;
      }
      return atKey && lastPair ? lastPair.key.range : best;
    };
    return { value: doc.value, range: doc.range, syntaxErrors: doc.findings, locate };
  });
}

/** An empty node (`key:` with nothing after it) has no width; a finding about it goes to its key. */
function isEmpty(node: YNode): boolean {
  return node.kind === 'scalar' && node.raw === '';
}

export function toFinding(doc: LocatedDocument, issue: Issue): Finding {
  return { code: issue.code, severity: issue.severity, message: issue.message, range: doc.locate(issue.path, issue.atKey) };
}
