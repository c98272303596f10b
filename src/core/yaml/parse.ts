/**
 * YAML with source positions, built on js-yaml 4's `listener` option: every node js-yaml composes
 * fires an `open` event (at the position before its leading blanks/comments/properties) and a `close`
 * event (just after its content, with `state.kind`/`state.result`). The events nest like the nodes, so
 * a stack turns them into a positioned tree; the raw source slice gives the scalar style (plain,
 * quoted, block) that YAML 1.1 readers care about.
 *
 * Bounded work: js-yaml never expands aliases (it shares references), the input size and the node
 * count are capped, and `toValue` expands aliases with a budget, so an alias bomb or a huge file
 * becomes a finding instead of a hang.
 */
import { load, YAMLException, type State } from 'js-yaml';
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
}

export const YAML_LIMITS = {
  /** Characters of input we parse at all. */
  maxChars: 8 * 1024 * 1024,
  /** Nodes in one document. */
  maxNodes: 400_000,
  /** Nodes produced when expanding aliases in `toValue`. */
  maxExpandedNodes: 200_000,
};

class LimitExceeded extends Error {}

interface Frame {
  readonly open: number;
  readonly children: YNode[];
}

/** Parses one YAML document into a positioned tree. Never throws. */
export function parseYaml(text: string): YamlDocument {
  const lines = new LineIndex(text);
  if (text.length > YAML_LIMITS.maxChars) {
    return {
      text, lines, root: undefined,
      findings: [{ code: 'CS002', severity: 'error', range: lines.range(0, 0), message: `The file is too large to analyse (${text.length} characters; the limit is ${YAML_LIMITS.maxChars}).` }],
    };
  }
  const anchors = new Map<string, YNode>();
  const stack: Frame[] = [{ open: 0, children: [] }];
  let nodes = 0;
  const listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'open') {
      stack.push({ open: state.position, children: [] });
      return;
    }
    const frame = stack.pop();
    if (!frame) return;
    if (++nodes > YAML_LIMITS.maxNodes) throw new LimitExceeded();
    const node = buildNode(text, lines, frame, state, anchors);
    stack[stack.length - 1].children.push(node);
  };
  try {
    load(text, { listener, filename: undefined, json: false });
  } catch (e) {
    if (e instanceof LimitExceeded) {
      return {
        text, lines, root: undefined,
        findings: [{ code: 'CS002', severity: 'error', range: lines.range(0, 0), message: `The file has more than ${YAML_LIMITS.maxNodes} YAML nodes; it is not analysed.` }],
      };
    }
    if (e instanceof YAMLException) {
      const pos = Math.min(e.mark?.position ?? 0, text.length);
      const endPos = Math.min(pos + 1, text.length);
      return { text, lines, root: undefined, findings: [{ code: 'CS001', severity: 'error', range: lines.range(pos, endPos), message: `YAML syntax error: ${e.reason}.` }] };
    }
    throw e;
  }
  const top = stack[0].children;
  return { text, lines, root: top.length ? top[top.length - 1] : undefined, findings: [] };
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
    case "'": return 'single';
    case '"': return 'double';
    case '|': return 'literal';
    case '>': return 'folded';
    default: return 'plain';
  }
}

function buildNode(text: string, lines: LineIndex, frame: Frame, state: State, anchors: Map<string, YNode>): YNode {
  const { children } = frame;
  const kind = (state as unknown as { kind: string | null }).kind;
  if (kind !== 'mapping' && kind !== 'sequence' && children.length === 1) {
    // js-yaml tried a block mapping, found a lone scalar and kept the inner node's result.
    return children[0];
  }
  const stop = Math.min(state.position, text.length);
  const head = skipToContent(text, frame.open, stop);
  let start = head.pos;
  let end = trimEnd(text, start, stop);
  const range = (): Range => lines.range(start, end);
  let node: YNode;
  if (text[start] === '*' && kind !== 'mapping' && kind !== 'sequence') {
    let e = start + 1;
    while (e < text.length && !WS.has(text[e]) && !',[]{}'.includes(text[e])) e++;
    end = e;
    const name = text.slice(start + 1, e);
    node = { kind: 'alias', start, end, range: range(), name, target: anchors.get(name) };
  } else if (kind === 'mapping') {
    node = { kind: 'map', start, end, range: range(), anchor: head.anchor, pairs: pairUp(text, children), flow: text[start] === '{' };
  } else if (kind === 'sequence') {
    node = { kind: 'seq', start, end, range: range(), anchor: head.anchor, items: children, flow: text[start] === '[' };
  } else {
    if (kind === null) start = end = Math.min(frame.open, text.length); // an empty node: just after its `:`
    // A plain scalar must not swallow a following `:` or `,` (flow context); js-yaml stops before them.
    node = {
      kind: 'scalar', start, end, range: range(), anchor: head.anchor, tag: head.tag,
      value: (state as unknown as { result: unknown }).result,
      raw: text.slice(start, end), style: kind === null ? 'plain' : styleOf(text[start]),
    };
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

/** The pair for `key` in a mapping, following `<<` merge keys (explicit keys win). */
export function getPair(map: YMap, key: string): YPair | undefined {
  for (let i = map.pairs.length - 1; i >= 0; i--) if (map.pairs[i].keyText === key) return map.pairs[i];
  for (const p of map.pairs) {
    if (p.keyText !== '<<' || !p.value) continue;
    const sources = p.value.kind === 'seq' ? p.value.items : [p.value];
    for (const s of sources) {
      const m = deref(s);
      if (m?.kind === 'map') {
        const found = getPair(m, key);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Follows an alias to its anchored node. */
export function deref(node: YNode | undefined): YScalar | YMap | YSeq | undefined {
  let n = node;
  for (let hops = 0; n?.kind === 'alias' && hops < 64; hops++) n = n.target;
  return n?.kind === 'alias' ? undefined : n;
}

/** Mapping entries in order, with `<<` merges expanded (explicit keys win, first merge source wins). */
export function mapEntries(map: YMap, depth = 0): YPair[] {
  const out = new Map<string, YPair>();
  if (depth < 16) {
    for (const p of map.pairs) {
      if (p.keyText !== '<<' || !p.value) continue;
      const sources = p.value.kind === 'seq' ? p.value.items : [p.value];
      for (const s of sources) {
        const m = deref(s);
        if (m?.kind === 'map') for (const q of mapEntries(m, depth + 1)) if (!out.has(q.keyText)) out.set(q.keyText, q);
      }
    }
  }
  for (const p of map.pairs) if (p.keyText !== '<<') { out.delete(p.keyText); out.set(p.keyText, p); }
  return [...out.values()];
}
