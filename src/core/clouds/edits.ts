/** Text edits behind the quick fixes of the clouds.yaml rules. All positions come from the YAML tree. */
import type { Fix, TextEdit } from '../findings';
import type { YamlDocument, YMap, YNode } from '../yaml/parse';

/** A YAML scalar that every reader takes as exactly this text (JSON strings are YAML double-quoted scalars). */
export function quoted(text: string): string {
  return JSON.stringify(text);
}

function endOfLine(doc: YamlDocument, offset: number): number {
  const nl = doc.text.indexOf('\n', offset);
  return nl < 0 ? doc.text.length : nl;
}

/** Adds `key: value` (value already YAML text) as the last entry of `map`. */
export function insertKeyEdit(doc: YamlDocument, map: YMap, key: string, valueText: string): TextEdit | undefined {
  if (map.flow) {
    const close = map.end - 1;
    if (doc.text[close] !== '}') return undefined;
    const sep = map.pairs.length ? ', ' : '';
    return { range: doc.lines.range(close, close), newText: `${sep}${key}: ${valueText}` };
  }
  const first = map.pairs[0];
  if (!first) return undefined;
  const indent = ' '.repeat(doc.lines.position(first.key.start).character);
  const at = endOfLine(doc, map.end);
  return { range: doc.lines.range(at, at), newText: `\n${indent}${key}: ${valueText}` };
}

/** Adds a nested mapping `key:\n  child: value` at the end of `map`. */
export function insertNestedEdit(doc: YamlDocument, map: YMap, key: string, child: string, valueText: string): TextEdit | undefined {
  if (map.flow) return insertKeyEdit(doc, map, key, `{${child}: ${valueText}}`);
  const first = map.pairs[0];
  if (!first) return undefined;
  const col = doc.lines.position(first.key.start).character;
  const at = endOfLine(doc, map.end);
  return { range: doc.lines.range(at, at), newText: `\n${' '.repeat(col)}${key}:\n${' '.repeat(col + 2)}${child}: ${valueText}` };
}

/** Removes a block-mapping entry (its key line through the end of its value). */
export function removePairEdit(doc: YamlDocument, key: YNode, value: YNode | undefined): TextEdit | undefined {
  const lineStart = doc.lines.lineStart(doc.lines.position(key.start).line);
  if (doc.text.slice(lineStart, key.start).trim() !== '') return undefined; // not alone on its line (flow or `- key:`)
  const end = endOfLine(doc, Math.max(value?.end ?? key.end, key.end));
  const next = Math.min(end + 1, doc.text.length);
  return { range: doc.lines.range(lineStart, next), newText: '' };
}

export function replaceEdit(doc: YamlDocument, node: { start: number; end: number }, newText: string): TextEdit {
  return { range: doc.lines.range(node.start, node.end), newText };
}

/** Moves a single-line `key: value` entry into `target` (e.g. the cloud's `auth` mapping) under `newKey`. */
export function moveIntoEdits(doc: YamlDocument, key: YNode, value: YNode, target: YMap, newKey: string): TextEdit[] | undefined {
  if (doc.text.slice(value.start, value.end).includes('\n')) return undefined;
  const remove = removePairEdit(doc, key, value);
  const insert = insertKeyEdit(doc, target, newKey, doc.text.slice(value.start, value.end));
  if (!remove || !insert) return undefined;
  return [insert, remove];
}

export function fix(title: string, edits: readonly (TextEdit | undefined)[] | undefined): Fix[] | undefined {
  if (!edits || edits.some((e) => !e) || !edits.length) return undefined;
  return [{ title, edits: edits as TextEdit[] }];
}
