/**
 * YAML with source positions, built on js-yaml 4's `listener` option: every node js-yaml composes
 * fires an `open` event (at the position before its leading blanks/comments/properties) and a `close`
 * event (just after its content, with `state.kind`/`state.result`). The events nest like the nodes, so
 * a stack turns them into a positioned tree; the raw source slice gives the scalar style (plain,
 * quoted, block) that YAML 1.1 readers care about.
 *
 * Bounded work: js-yaml never expands aliases (it shares references), the input size, the node
 * count and the nesting depth are capped, and alias expansion runs with a budget, so an alias bomb, a
 * huge file or thousands of nested `[` become a located finding instead of a hang or a stack overflow.
 * js-yaml composes recursively (composeNode → readFlowCollection/readBlockMapping → composeNode), so
 * the depth limit is enforced in the listener's `open` event, before js-yaml descends any further.
 */
import { loadAll, YAMLException, type Schema, type State } from 'js-yaml';
import type { Finding, Range } from '../findings';
import { LineIndex } from './lines';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface NodeBase {
  /** Offsets into the text: [start, end). */
  readonly start: number;
  readonly end: number;
  readonly range: Range;
  /** `&name` on the node, if any. */
  readonly anchor?: string;
}

export interface YScalar extends NodeBase {
  readonly kind: 'scalar';
  /** js-yaml's (YAML 1.2 core schema) value: string, number, boolean or null. */
  readonly value: unknown;
  /** The source text of the scalar (including quotes). Empty for an empty node. */
  readonly raw: string;
  readonly style: ScalarStyle;
  /** Explicit tag such as `!!str`, if any. */
  readonly tag?: string;
}

export interface YPair {
  readonly key: YNode;
  /** The key as text (`String(value)` of a scalar key). */
  readonly keyText: string;
  readonly value: YNode | undefined;
}

export interface YMap extends NodeBase {
  readonly kind: 'map';
  readonly pairs: readonly YPair[];
  readonly flow: boolean;
}

export interface YSeq extends NodeBase {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
  readonly flow: boolean;
}

export interface YAlias extends NodeBase {
  readonly kind: 'alias';
  readonly name: string;
  readonly target: YNode | undefined;
}

export type YNode = YScalar | YMap | YSeq | YAlias;

export interface YamlDocument {
  readonly text: string;
  readonly lines: LineIndex;
  readonly root: YNode | undefined;
  /** Parse errors and limit violations (codes CS001, CS002). */
  readonly findings: readonly Finding[];
  /** Nodes js-yaml composed, as counted against `maxNodes` (at least the nodes of the tree). */
  readonly nodes: number;
}

export const YAML_LIMITS = {
  /** Characters of input we parse at all. */
  maxChars: 8 * 1024 * 1024,
  /** Nodes in one document. */
  maxNodes: 400_000,
  /** Nodes produced when expanding aliases (and `<<` merges). */
  maxExpandedNodes: 200_000,
  /**
   * Nesting depth of collections, in the text and after alias expansion. Far above any clouds.yaml or
   * Kubernetes manifest, and below where the YAML 1.1 reader openstacksdk uses gives up (PyYAML's
   * recursive composer hits Python's recursion limit near depth 490); js-yaml itself overflows the
   * stack near depth 2,000.
   */
  maxDepth: 128,
};

class LimitExceeded extends Error {
  /** `at`: where parsing may resume after the next `---` (a local limit); undefined stops the stream. */
  constructor(
    readonly finding: (lines: LineIndex) => Finding,
    readonly at?: number,
  ) {
    super('YAML limit exceeded');
  }
}

/** Thrown by `mapEntries` when `<<` merges nest too deep or expand beyond the budget. */
export class MergeLimit extends Error {
  constructor(readonly at: YMap) {
    super('merge expansion limit');
  }
}

interface Frame {
  readonly open: number;
  readonly children: YNode[];
}

/** One document of a YAML stream: its tree, js-yaml's value and where it is. */
export interface YamlStreamDocument {
  /** Offsets [start, end): from its `---` (or first content) to where the next document starts. */
  readonly start: number;
  readonly end: number;
  readonly range: Range;
  readonly root: YNode | undefined;
  /**
   * js-yaml's value (aliases shared, not copied; their expansion is within `maxExpandedNodes`);
   * undefined when the document has findings.
   */
  readonly value: unknown;
  /** Syntax errors and limit violations of this document (codes CS001, CS002). */
  readonly findings: readonly Finding[];
}

export interface YamlStream {
  readonly text: string;
  readonly lines: LineIndex;
  readonly documents: readonly YamlStreamDocument[];
}

export interface StreamOptions {
  /** The js-yaml schema for values (default: js-yaml's default schema). */
  readonly schema?: Schema;
  /** A repeated key overrides the earlier one instead of being an error. */
  readonly duplicateKeysOverride?: boolean;
}

/** What one js-yaml run over the text produced: finished documents and, if it stopped early, why. */
interface Pass {
  readonly roots: (YNode | undefined)[];
  readonly values: unknown[];
  /** Per document, the offset just after its root node. */
  readonly closedAt: number[];
  /** Per document, whether it has an alias (only then can its value be an alias bomb). */
  readonly aliased: boolean[];
  readonly failure?: { readonly position: number; readonly finding: Finding; readonly composing: boolean; readonly resumable: boolean };
}

/**
 * Runs js-yaml's `loadAll` over `source` with the positioning listener. `source` has the same length
 * and line breaks as `text` (a recovery pass blanks what was read before), so offsets are `text`'s.
 * `budget` counts nodes over all passes.
 */
function compose(text: string, source: string, lines: LineIndex, options: StreamOptions, budget: { nodes: number }): Pass {
  const bom = source.charCodeAt(0) === 0xfeff ? 1 : 0; // js-yaml strips it, shifting its positions
  const anchors = new Map<string, YNode>();
  const stack: Frame[] = [{ open: 0, children: [] }];
  const pass: Pass = { roots: [], values: [], closedAt: [], aliased: [] };
  const listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'open') {
      // stack[0] is the stream; stack.length - 1 nodes are open around this one.
      if (stack.length > YAML_LIMITS.maxDepth) throw new LimitExceeded((l) => tooDeep(text, l, state.position + bom), state.position + bom);
      stack.push({ open: state.position + bom, children: [] });
      return;
    }
    const frame = stack.pop();
    if (!frame) return;
    if (++budget.nodes > YAML_LIMITS.maxNodes) throw new LimitExceeded(tooManyNodes);
    const node = buildNode(text, lines, frame, state.position + bom, state, anchors);
    const index = (state as unknown as { documents: unknown[] }).documents.length;
    if (node.kind === 'alias') pass.aliased[index] = true;
    if (stack.length > 1) {
      stack[stack.length - 1].children.push(node);
      return;
    }
    pass.roots[index] = node;
    pass.values[index] = (state as unknown as { result: unknown }).result;
    pass.closedAt[index] = state.position + bom;
  };
  try {
    loadAll(source, null, { listener, schema: options.schema, json: options.duplicateKeysOverride ?? false });
    return pass;
  } catch (e) {
    const composing = stack.length > 1;
    if (e instanceof LimitExceeded) {
      const finding = e.finding(lines);
      return { ...pass, failure: { position: e.at ?? text.length, finding, composing, resumable: e.at !== undefined } };
    }
    if (e instanceof YAMLException) {
      const pos = Math.min((e.mark?.position ?? 0) + bom, text.length);
      const finding: Finding = {
        code: 'CS001',
        severity: 'error',
        range: lines.range(pos, Math.min(pos + 1, text.length)),
        message: `YAML syntax error: ${e.reason}.`,
      };
      return { ...pass, failure: { position: pos, finding, composing, resumable: true } };
    }
    throw e;
  }
}

function tooManyNodes(lines: LineIndex): Finding {
  return {
    code: 'CS002',
    severity: 'error',
    range: lines.range(0, 0),
    message: `The file has more than ${YAML_LIMITS.maxNodes} YAML nodes; it is not analysed.`,
  };
}

/** At the first node deeper than the limit (js-yaml's position is before its leading blanks). */
function tooDeep(text: string, lines: LineIndex, position: number): Finding {
  let at = Math.min(position, text.length);
  while (at < text.length && WS.has(text[at])) at++;
  return {
    code: 'CS002',
    severity: 'error',
    range: lines.range(at, Math.min(at + 1, text.length)),
    message: `The YAML nests deeper than ${YAML_LIMITS.maxDepth} levels here; it is not analysed.`,
  };
}

/**
 * What YAML 1.1 readers accept in a stream at all: PyYAML's Reader (openstacksdk) and Go's yaml.v2
 * reader (readerc.go, behind sigs.k8s.io/yaml: CAPO, CSPO, kubectl) refuse the whole file on any other
 * character, even inside quotes, where YAML 1.2 and js-yaml allow it (DEL, C1 controls, U+FFFE…).
 */
export const NON_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

function nonPrintable(text: string, lines: LineIndex): Finding | undefined {
  const m = NON_PRINTABLE.exec(text);
  if (!m) return undefined;
  const cp = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return {
    code: 'CS001',
    severity: 'error',
    range: lines.range(m.index, m.index + m[0].length),
    message: `YAML syntax error: the character U+${cp} is not allowed in a YAML file: PyYAML (openstacksdk) and Go's YAML reader (CAPO) refuse the whole file, even inside quotes. Write it as an escape in a double-quoted string.`,
  };
}

function tooLarge(text: string, lines: LineIndex): Finding {
  return {
    code: 'CS002',
    severity: 'error',
    range: lines.range(0, 0),
    message: `The file is too large to analyse (${text.length} characters; the limit is ${YAML_LIMITS.maxChars}).`,
  };
}

/** Parses one YAML document into a positioned tree. Never throws. */
export function parseYaml(text: string): YamlDocument {
  const lines = new LineIndex(text);
  const refused = text.length > YAML_LIMITS.maxChars ? tooLarge(text, lines) : nonPrintable(text, lines);
  if (refused) return { text, lines, root: undefined, findings: [refused], nodes: 0 };
  const budget = { nodes: 0 };
  const pass = compose(text, text, lines, {}, budget);
  const { nodes } = budget;
  if (pass.failure) return { text, lines, root: undefined, findings: [pass.failure.finding], nodes };
  if (pass.roots.length > 1) {
    return {
      text,
      lines,
      root: undefined,
      findings: [
        {
          code: 'CS001',
          severity: 'error',
          range: lines.range(0, Math.min(1, text.length)),
          message: 'YAML syntax error: expected a single document in the stream, but found more.',
        },
      ],
      nodes,
    };
  }
  return { text, lines, root: pass.roots[0], findings: [], nodes };
}

/**
 * Parses a stream of YAML documents (`---`-separated) into positioned trees and values. A syntax error
 * is reported in the document it is in; parsing resumes at the next `---` line, so later documents
 * keep their values. Never throws.
 */
export function parseYamlStream(text: string, options: StreamOptions = {}): YamlStream {
  const lines = new LineIndex(text);
  const refused = text.length > YAML_LIMITS.maxChars ? tooLarge(text, lines) : nonPrintable(text, lines);
  if (refused) {
    return {
      text,
      lines,
      documents: [
        {
          start: 0,
          end: text.length,
          range: lines.range(0, text.length),
          root: undefined,
          value: undefined,
          findings: [refused],
        },
      ],
    };
  }
  const documents: YamlStreamDocument[] = [];
  const budget = { nodes: 0 };
  const add = (start: number, end: number, root: YNode | undefined, value: unknown, findings: Finding[]): void => {
    documents.push({ start, end, range: lines.range(start, end), root, value: findings.length ? undefined : value, findings });
  };
  let from = 0;
  for (;;) {
    const source = from === 0 ? text : text.slice(0, from).replace(/[^\n]/g, ' ') + text.slice(from);
    const pass = compose(text, source, lines, options, budget);
    // Document i runs from its `---` (or content) to where document i + 1 starts.
    const starts = [documentStart(text, from, false).pos];
    for (const at of pass.closedAt) starts.push(documentStart(text, at, true).pos);
    const done = pass.closedAt.length;
    const keep = (i: number, end: number): void =>
      add(starts[i], end, pass.roots[i], pass.values[i], pass.aliased[i] ? expansionFindings(pass.values[i], lines, starts[i]) : []);
    if (!pass.failure) {
      for (let i = 0; i < done; i++) keep(i, i + 1 < done ? starts[i + 1] : text.length);
      return { text, lines, documents };
    }
    // The failure belongs to a new document unless it came after a finished root with no separator between.
    const { position, finding, composing, resumable } = pass.failure;
    const next = done > 0 ? documentStart(text, pass.closedAt[done - 1], true) : undefined;
    const inLast = !composing && next !== undefined && !next.separated;
    const kept = inLast ? done - 1 : done;
    for (let i = 0; i < kept; i++) keep(i, starts[i + 1]);
    const resume = resumable ? nextSeparator(text, Math.max(position, starts[kept] + 1)) : -1;
    add(starts[kept], resume < 0 ? text.length : resume, undefined, undefined, [finding]);
    if (resume < 0) return { text, lines, documents };
    from = resume;
  }
}

/** From `pos` (the end of a document's root, or where parsing starts), skips blanks, comments and a
 * `...` end marker to where the next document starts; `separated` says a `---`, `%` directive or
 * `...` marks it as a new document. */
function documentStart(text: string, pos: number, afterRoot: boolean): { pos: number; separated: boolean } {
  let separated = !afterRoot;
  for (;;) {
    while (pos < text.length && WS.has(text[pos])) pos++;
    if (text[pos] === '#') {
      while (pos < text.length && text[pos] !== '\n') pos++;
      continue;
    }
    const lineStart = pos === 0 || text[pos - 1] === '\n';
    if (lineStart && text.startsWith('...', pos) && (pos + 3 >= text.length || WS.has(text[pos + 3]))) {
      pos += 3;
      separated = true;
      continue;
    }
    if (lineStart && (text[pos] === '%' || (text.startsWith('---', pos) && (pos + 3 >= text.length || WS.has(text[pos + 3])))))
      separated = true;
    return { pos, separated };
  }
}

/** Offset of the first `---` line at or after `pos`, or -1. */
function nextSeparator(text: string, pos: number): number {
  const re = /^---(?=[ \t\r\n]|$)/gm;
  re.lastIndex = Math.min(pos, text.length);
  const m = re.exec(text);
  return m ? m.index : -1;
}

/**
 * js-yaml shares aliased values instead of copying them; whoever walks the value visits them once per
 * alias, and an alias can put a whole nested anchor below the place it is used. A CS002 finding when
 * that walk would exceed `maxExpandedNodes` (an alias bomb, or an anchor that refers to itself) or
 * nest deeper than `maxDepth`, so every walker of the value is bounded in work and depth.
 */
function expansionFindings(value: unknown, lines: LineIndex, at: number): Finding[] {
  const pending: [unknown, number][] = [[value, 0]];
  const limit = (message: string): Finding[] => [{ code: 'CS002', severity: 'error', range: lines.range(at, at), message }];
  for (let visited = 0; pending.length; visited++) {
    if (visited >= YAML_LIMITS.maxExpandedNodes)
      return limit(`The document's aliases expand to more than ${YAML_LIMITS.maxExpandedNodes} nodes; it is not analysed.`);
    const [v, depth] = pending.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= YAML_LIMITS.maxDepth)
      return limit(`The document's aliases nest deeper than ${YAML_LIMITS.maxDepth} levels; it is not analysed.`);
    const children = Array.isArray(v) ? v : Object.getPrototypeOf(v) === Object.prototype ? Object.values(v) : [];
    for (const c of children) pending.push([c, depth + 1]);
  }
  return [];
}

const WS = new Set([' ', '\t', '\r', '\n', '\ufeff']);

/** Skips blanks, line breaks, comments, `---`, and node properties (tag, anchor) from `pos`. */
function skipToContent(text: string, pos: number, end: number): { pos: number; anchor?: string; tag?: string } {
  let anchor: string | undefined;
  let tag: string | undefined;
  while (pos < end) {
    const ch = text[pos];
    if (WS.has(ch)) {
      pos++;
    } else if (ch === '#') {
      while (pos < end && text[pos] !== '\n') pos++;
    } else if ((pos === 0 || text[pos - 1] === '\n') && text.startsWith('---', pos) && (pos + 3 >= text.length || WS.has(text[pos + 3]))) {
      pos += 3;
    } else if (ch === '&' || ch === '!') {
      const s = pos;
      while (pos < end && !WS.has(text[pos]) && !(ch === '&' && ',[]{}'.includes(text[pos]))) pos++;
      if (ch === '&') anchor = text.slice(s + 1, pos);
      else tag = text.slice(s, pos);
    } else {
      break;
    }
  }
  return { pos, anchor, tag };
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && WS.has(text[end - 1])) end--;
  return end;
}

function styleOf(ch: string | undefined): ScalarStyle {
  switch (ch) {
    case "'":
      return 'single';
    case '"':
      return 'double';
    case '|':
      return 'literal';
    case '>':
      return 'folded';
    default:
      return 'plain';
  }
}

/**
 * A node's range, computed on first use from its offsets: a finding or a fix locates a few nodes of a
 * file, and computing every node's (two line lookups and three objects each) was most of the parse.
 */
abstract class Node {
  readonly #lines: LineIndex;
  #range: Range | undefined;

  constructor(
    lines: LineIndex,
    readonly start: number,
    readonly end: number,
    readonly anchor: string | undefined,
  ) {
    this.#lines = lines;
  }

  get range(): Range {
    return (this.#range ??= this.#lines.range(this.start, this.end));
  }
}

class ScalarNode extends Node implements YScalar {
  readonly kind = 'scalar';

  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    anchor: string | undefined,
    readonly tag: string | undefined,
    readonly value: unknown,
    readonly raw: string,
    readonly style: ScalarStyle,
  ) {
    super(lines, start, end, anchor);
  }
}

class MapNode extends Node implements YMap {
  readonly kind = 'map';

  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    anchor: string | undefined,
    readonly pairs: readonly YPair[],
    readonly flow: boolean,
  ) {
    super(lines, start, end, anchor);
  }
}

class SeqNode extends Node implements YSeq {
  readonly kind = 'seq';

  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    anchor: string | undefined,
    readonly items: readonly YNode[],
    readonly flow: boolean,
  ) {
    super(lines, start, end, anchor);
  }
}

class AliasNode extends Node implements YAlias {
  readonly kind = 'alias';

  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    readonly name: string,
    readonly target: YNode | undefined,
  ) {
    super(lines, start, end, undefined);
  }
}

function buildNode(text: string, lines: LineIndex, frame: Frame, position: number, state: State, anchors: Map<string, YNode>): YNode {
  const { children } = frame;
  const kind = (state as unknown as { kind: string | null }).kind;
  if (kind !== 'mapping' && kind !== 'sequence' && children.length === 1) {
    // js-yaml tried a block mapping, found a lone scalar and kept the inner node's result.
    return children[0];
  }
  const stop = Math.min(position, text.length);
  const head = skipToContent(text, frame.open, stop);
  let start = head.pos;
  let end = trimEnd(text, start, stop);
  let node: YNode;
  if (text[start] === '*' && kind !== 'mapping' && kind !== 'sequence') {
    let e = start + 1;
    while (e < text.length && !WS.has(text[e]) && !',[]{}'.includes(text[e])) e++;
    end = e;
    const name = text.slice(start + 1, e);
    node = new AliasNode(lines, start, end, name, anchors.get(name));
  } else if (kind === 'mapping') {
    node = new MapNode(lines, start, end, head.anchor, pairUp(text, children), text[start] === '{');
  } else if (kind === 'sequence') {
    node = new SeqNode(lines, start, end, head.anchor, children, text[start] === '[');
  } else {
    if (kind === null) start = end = Math.min(frame.open, text.length); // an empty node: just after its `:`
    // A plain scalar must not swallow a following `:` or `,` (flow context); js-yaml stops before them.
    const value = (state as unknown as { result: unknown }).result;
    const style = kind === null ? 'plain' : styleOf(text[start]);
    node = new ScalarNode(lines, start, end, head.anchor, head.tag, value, text.slice(start, end), style);
  }
  if (head.anchor) anchors.set(head.anchor, node);
  return node;
}

/** Children of a mapping come as key, value, key, value… except that an absent value fires no event. */
function pairUp(text: string, children: readonly YNode[]): YPair[] {
  const pairs: YPair[] = [];
  const isKey = (n: YNode): boolean => {
    let p = n.end;
    while (p < text.length && (text[p] === ' ' || text[p] === '\t')) p++;
    if (text[p] === ':') return true;
    // a quoted or flow key may be followed directly by ':'; an explicit `? key` has its ':' on a later line
    return text[n.start - 2] === '?' || text[n.start - 1] === '?';
  };
  for (let i = 0; i < children.length; i++) {
    const key = children[i];
    const next = children[i + 1];
    let value: YNode | undefined;
    if (next && !isKey(next)) {
      value = next;
      i++;
    }
    pairs.push({ key, keyText: keyTextOf(key), value });
  }
  return pairs;
}

function keyTextOf(key: YNode): string {
  if (key.kind === 'scalar') return key.value === null ? 'null' : String(key.value);
  if (key.kind === 'alias' && key.target?.kind === 'scalar') return String(key.target.value);
  return '[object Object]';
}

/** The maps a `<<` entry merges in, in order. */
function mergeSources(p: YPair): YMap[] {
  if (p.keyText !== '<<' || !p.value) return [];
  const out: YMap[] = [];
  for (const s of p.value.kind === 'seq' ? p.value.items : [p.value]) {
    const m = deref(s);
    if (m?.kind === 'map') out.push(m);
  }
  return out;
}

/** Mappings with more pairs than this get a key index on their first lookup. */
const INDEXED_FROM = 16;
const pairIndex = new WeakMap<YMap, Map<string, YPair>>();

/**
 * The last pair of `m` itself with `key`. A large mapping (the `clouds:` of a clouds.yaml, looked up
 * once per cloud) is indexed once, so that looking up each of its keys is not quadratic.
 */
function ownPair(m: YMap, key: string): YPair | undefined {
  if (m.pairs.length < INDEXED_FROM) {
    for (let i = m.pairs.length - 1; i >= 0; i--) if (m.pairs[i].keyText === key) return m.pairs[i];
    return undefined;
  }
  let index = pairIndex.get(m);
  if (!index) {
    index = new Map();
    for (const p of m.pairs) index.set(p.keyText, p);
    pairIndex.set(m, index);
  }
  return index.get(key);
}

/**
 * The pair for `key` in a mapping, following `<<` merge keys (explicit keys win, then the merge
 * sources depth first in order). Iterative, and each merged mapping is searched once: merges form a
 * DAG (an alias only refers to an earlier node), so a chain or a fan of merges costs linear time.
 */
export function getPair(map: YMap, key: string): YPair | undefined {
  const pending: YMap[] = [map];
  const seen = new Set<YMap>();
  while (pending.length) {
    const m = pending.pop() as YMap;
    if (seen.has(m)) continue;
    seen.add(m);
    const own = ownPair(m, key);
    if (own) return own;
    const sources = m.pairs.flatMap(mergeSources);
    for (let i = sources.length - 1; i >= 0; i--) pending.push(sources[i]);
  }
  return undefined;
}

/** Follows an alias to its anchored node. */
export function deref(node: YNode | undefined): YScalar | YMap | YSeq | undefined {
  let n = node;
  for (let hops = 0; n?.kind === 'alias' && hops < 64; hops++) n = n.target;
  return n?.kind === 'alias' ? undefined : n;
}

/**
 * Mapping entries in order, with `<<` merges expanded (explicit keys win, first merge source wins, as
 * PyYAML's `flatten_mapping`). Merged entries count against `budget` like alias expansion, and merges
 * nest at most `maxDepth` deep; beyond either, MergeLimit (never a silent cut).
 */
export function mapEntries(map: YMap, budget: { left: number } = { left: YAML_LIMITS.maxExpandedNodes }, depth = 0): YPair[] {
  if (depth > YAML_LIMITS.maxDepth) throw new MergeLimit(map);
  const out = new Map<string, YPair>();
  for (const p of map.pairs)
    for (const m of mergeSources(p))
      for (const q of mapEntries(m, budget, depth + 1)) {
        if (--budget.left < 0) throw new MergeLimit(map);
        if (!out.has(q.keyText)) out.set(q.keyText, q);
      }
  for (const p of map.pairs)
    if (p.keyText !== '<<') {
      out.delete(p.keyText);
      out.set(p.keyText, p);
    }
  return [...out.values()];
}
