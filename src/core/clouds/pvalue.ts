/**
 * Values of a clouds file with their provenance (file, key node, value node), so that merged and
 * resolved settings still point back at the line a finding or a fix is about.
 */
import type { Finding } from '../findings';
import { decodeUtf8 } from '../text';
import { deref, mapEntries, MergeLimit, YAML_LIMITS, type YamlDocument, type YNode, type YScalar } from '../yaml/parse';
import { CODES } from './codes';

export interface Origin {
  readonly doc: YamlDocument;
  /** Path of the file (SourceFile.path). */
  readonly file: string;
  /** The key node of the entry this value belongs to. */
  readonly key?: YNode;
  /** The value node (after following aliases). */
  readonly node?: YNode;
}

export interface PScalar {
  readonly kind: 'scalar';
  readonly node: YScalar;
  readonly origin: Origin;
}
export interface PMap {
  readonly kind: 'map';
  readonly entries: Map<string, PValue>;
  readonly origin: Origin;
}
export interface PSeq {
  readonly kind: 'seq';
  readonly items: readonly PValue[];
  readonly origin: Origin;
}
export type PValue = PScalar | PMap | PSeq;

/** Alias or merge expansion beyond `maxExpandedNodes` nodes, or nesting deeper than `maxDepth` through aliases. */
export class ExpansionLimit extends Error {
  constructor(
    readonly at: Origin,
    readonly why: 'nodes' | 'depth',
  ) {
    super('alias expansion limit');
  }
}

export interface Budget {
  left: number;
}

export function newBudget(): Budget {
  return { left: YAML_LIMITS.maxExpandedNodes };
}

/**
 * Turns a YAML node into a PValue, expanding aliases and `<<` merges within the budget. The parser
 * bounds the text's depth; aliases can stack anchors below each other, so the depth is bounded here
 * too (every walker of a PValue recurses at most `maxDepth` levels).
 */
export function toP(
  node: YNode | undefined,
  doc: YamlDocument,
  file: string,
  key: YNode | undefined,
  budget: Budget,
  depth = 0,
): PValue | undefined {
  const n = deref(node);
  if (!n) return undefined;
  const origin: Origin = { doc, file, key, node: n };
  if (--budget.left < 0) throw new ExpansionLimit(origin, 'nodes');
  if (n.kind === 'scalar') return { kind: 'scalar', node: n, origin };
  if (depth >= YAML_LIMITS.maxDepth) throw new ExpansionLimit(origin, 'depth');
  if (n.kind === 'seq') {
    const items: PValue[] = [];
    for (const it of n.items) {
      const v = toP(it, doc, file, undefined, budget, depth + 1);
      if (v) items.push(v);
    }
    return { kind: 'seq', items, origin };
  }
  let pairs;
  try {
    pairs = mapEntries(n, budget);
  } catch (e) {
    if (e instanceof MergeLimit) throw new ExpansionLimit(origin, budget.left < 0 ? 'nodes' : 'depth');
    throw e;
  }
  const entries = new Map<string, PValue>();
  for (const p of pairs) {
    const v = toP(p.value, doc, file, p.key, budget, depth + 1) ?? emptyScalar(doc, file, p.key, p.value);
    entries.set(p.keyText, v);
  }
  return { kind: 'map', entries, origin };
}

function emptyScalar(doc: YamlDocument, file: string, key: YNode, value: YNode | undefined): PScalar {
  const at = value?.end ?? key.end;
  const node: YScalar = { kind: 'scalar', start: at, end: at, range: doc.lines.range(at, at), value: null, raw: '', style: 'plain' };
  return { kind: 'scalar', node, origin: { doc, file, key, node } };
}

/**
 * The text a string setting carries, or undefined for null/empty/collections and for values that are
 * not text (`notText` says why). `!!binary` is the decoded bytes as UTF-8: PyYAML and Go's yaml both
 * decode it (to bytes and to a string), so that is what the consumers read.
 */
export function textOf(v: PValue | undefined): string | undefined {
  if (v?.kind !== 'scalar') return undefined;
  const { value, raw, style } = v.node;
  if (value === null || value === undefined) return undefined;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Uint8Array) {
    const d = decodeUtf8(value);
    if (!d.ok) return undefined;
    text = d.text;
  } else text = style === 'plain' ? raw : String(value);
  return text === '' ? undefined : text;
}

/**
 * Why a setting the readers take as text is not text they agree on (a mapping, a list, a tag that
 * makes it a number, a date or a set, `!!binary` that is not UTF-8), or undefined. Never the value.
 */
export function notText(v: PValue): { readonly code: string; readonly why: string } | undefined {
  if (v.kind === 'map') return { code: CODES.notText, why: 'it is a mapping' };
  if (v.kind === 'seq') return { code: CODES.notText, why: 'it is a list' };
  const { value, tag } = v.node;
  if (value instanceof Uint8Array)
    return decodeUtf8(value).ok ? undefined : { code: CODES.unrepresentable, why: 'its `!!binary` bytes are not UTF-8 text' };
  if (tag !== undefined && value !== null && typeof value !== 'string') {
    const type = value instanceof Date ? 'a timestamp' : typeof value === 'object' ? 'a collection' : `a ${typeof value}`;
    return { code: CODES.notText, why: `the tag \`${tag}\` makes it ${type}, which YAML readers print differently` };
  }
  return undefined;
}

/**
 * A boolean setting as the YAML 1.1 readers type it: true/false (also plain `yes`/`no`/`on`/`off`,
 * which PyYAML and Go's yaml read as booleans), null when empty, 'text' for a string (PyYAML keeps a
 * plain `y`/`n` as text), 'other' for numbers, dates and collections.
 */
export function yaml11Bool(v: PValue | undefined): boolean | null | 'text' | 'other' {
  if (v?.kind !== 'scalar') return 'other';
  const { value, raw, style, tag } = v.node;
  if (typeof value === 'boolean') return value;
  if (style === 'plain' && !tag && /^(yes|Yes|YES|on|On|ON)$/.test(raw)) return true;
  if (style === 'plain' && !tag && /^(no|No|NO|off|Off|OFF)$/.test(raw)) return false;
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? 'text' : 'other';
}

export function isEmpty(v: PValue | undefined): boolean {
  return v?.kind === 'scalar' && textOf(v) === undefined;
}

export function asMap(v: PValue | undefined): PMap | undefined {
  return v?.kind === 'map' ? v : undefined;
}

/** A shallow copy of a map value (entries copied, values shared). */
export function copyMap(m: PMap): PMap {
  return { kind: 'map', entries: new Map(m.entries), origin: m.origin };
}

/** openstacksdk `_merge_clouds`: recursive merge, `over` wins. */
export function deepMerge(base: PMap, over: PMap): PMap {
  const out = copyMap(base);
  for (const [k, v] of over.entries) {
    const old = out.entries.get(k);
    out.entries.set(k, old?.kind === 'map' && v.kind === 'map' ? deepMerge(old, v) : v);
  }
  return out;
}

/** openstacksdk `_auth_update`: top-level keys replace, `auth` is updated one level deep. */
export function authUpdate(base: PMap, over: PMap): PMap {
  const out = copyMap(base);
  for (const [k, v] of over.entries) {
    const old = out.entries.get(k);
    if (k === 'auth' && old?.kind === 'map' && v.kind === 'map') {
      const auth = copyMap(old);
      for (const [ak, av] of v.entries) auth.entries.set(ak, av);
      out.entries.set(k, auth);
    } else {
      out.entries.set(k, v);
    }
  }
  return out;
}

/** A finding that belongs to one file. */
export interface Located {
  readonly file: string;
  readonly finding: Finding;
}

/** The range of a value for messages: the value node, else its key. */
export function rangeOf(v: PValue): Finding['range'] {
  const n = v.origin.node ?? v.origin.key;
  return n ? n.range : v.origin.doc.lines.range(0, 0);
}

/** The range of the key of a value, else the value. */
export function keyRangeOf(v: PValue): Finding['range'] {
  return (v.origin.key ?? v.origin.node)?.range ?? v.origin.doc.lines.range(0, 0);
}

/** A setting that is there and not empty. */
export function present(v: PValue | undefined): v is PValue {
  return v !== undefined && (v.kind !== 'scalar' || textOf(v) !== undefined);
}
