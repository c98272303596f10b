/**
 * analyzeClouds over the versions of one clouds.yaml, per cloud: an edit inside one cloud's block of
 * lines (from its key line to the next cloud's) parses and analyses that block alone and keeps every
 * other cloud's results, shifted by the lines the edit added or removed. The block is parsed at its
 * own lines (the lines above it blank but for a `clouds:` line), so positions, ranges and fixes come
 * out as the whole file's parse gives them.
 *
 * Whatever this cannot be sure of goes through the full analysis: a change outside one cloud's block or
 * to secure.yaml, clouds-public.yaml or the options; any file-level finding (syntax errors, shape,
 * secure.yaml merge conflicts); anchors, aliases or `<<` merge keys in any of the files; flow style or
 * keys that do not start their lines at one indentation under `clouds:`; a block that no longer holds
 * exactly one cloud, or whose cloud's name another cloud has; and the file's node limits. A reused cloud
 * that read a local file (`cacert`) is analysed again when that file reads differently.
 */
import type { Finding, Range, TextEdit } from '../findings';
import { YAML_LIMITS, type YNode, type YPair } from '../yaml/parse';
import type { CloudInfo, CloudsAnalysis, CloudsInput, ConvertOptions } from './api';
import { analyzeCloud, assembleAnalysis, fileFindings, type CloudResult } from './convert';
import { parseCloudsFile, parseInput, type ParsedFile, type ParsedInput } from './resolve';

type Read = ReturnType<NonNullable<ConvertOptions['readFile']>>;

interface Cloud {
  readonly name: string;
  /** Lines [first, end) of its block in the current text. */
  first: number;
  end: number;
  /** Current line − line in the text it was analysed in. */
  shift: number;
  /** What it was analysed in, and its pair there (to analyse it again when a file it read changed). */
  readonly parsed: ParsedInput;
  readonly pair: YPair;
  /** Its results in the lines of the text it was analysed in. */
  result: CloudResult;
  /** The local files it read, with what they read as. */
  reads: readonly (readonly [string, Read])[];
  /** Its results shifted by `shift`, while that shift holds. */
  shifted?: { readonly by: number; readonly result: CloudResult };
}

interface State {
  readonly input: {
    readonly cloudsPath: string;
    readonly secure?: string;
    readonly securePath?: string;
    readonly public?: string;
    readonly publicPath?: string;
  };
  readonly options: string;
  readonly readFile: ConvertOptions['readFile'];
  readonly parsed: ParsedInput;
  text: string;
  lines: string[];
  /** The column of every cloud key. */
  readonly indent: number;
  readonly clouds: Cloud[];
  /** An upper bound of the nodes of the clouds.yaml (each reparsed block adds its own parse's count). */
  nodes: number;
  /** The nodes of secure.yaml's tree, which the merge check expands with the clouds'. */
  readonly secureNodes: number;
}

function optionsKey(options: ConvertOptions): string {
  return JSON.stringify([options.lb ?? null, options.caFileInPod ?? null, options.extraSections ?? null]);
}

function sameRead(a: Read, b: Read): boolean {
  if (typeof a === 'object' && typeof b === 'object') return a.unreadable === b.unreadable;
  return a === b;
}

/** Analyses one cloud, noting the local files it reads. */
function recorded(parsed: ParsedInput, pair: YPair, options: ConvertOptions): { result: CloudResult; reads: [string, Read][] } {
  const reads: [string, Read][] = [];
  const readFile = options.readFile;
  const recording: ConvertOptions = readFile
    ? {
        ...options,
        readFile: (path) => {
          const r = readFile(path);
          reads.push([path, r]);
          return r;
        },
      }
    : options;
  return { result: analyzeCloud(parsed, pair, recording), reads };
}

/** Whether a tree has anchors, aliases or `<<` keys, which tie a cloud to text outside its block. */
function linked(root: YNode | undefined): boolean {
  const pending: YNode[] = root ? [root] : [];
  while (pending.length) {
    const n = pending.pop() as YNode;
    if (n.kind === 'alias' || n.anchor !== undefined) return true;
    if (n.kind === 'seq') for (const item of n.items) pending.push(item);
    else if (n.kind === 'map')
      for (const p of n.pairs) {
        if (p.keyText === '<<') return true;
        pending.push(p.key);
        if (p.value) pending.push(p.value);
      }
  }
  return false;
}

const leadingSpaces = (line: string): number => {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
};

/** What a line is to the block structure: nothing (blank or a comment), or content at its indentation (-1: after a tab). */
function lineIndent(line: string): number | undefined {
  const n = leadingSpaces(line);
  const rest = line.slice(n).trimStart();
  if (rest === '' || rest[0] === '#') return undefined;
  return line[n] === '\t' ? -1 : n;
}

const shiftRange = (r: Range, d: number): Range => ({
  start: { line: r.start.line + d, character: r.start.character },
  end: { line: r.end.line + d, character: r.end.character },
});

function shiftFinding(f: Finding, d: number): Finding {
  const moved: Finding = { ...f, range: shiftRange(f.range, d) };
  if (!f.fixes) return moved;
  const edit = (e: TextEdit): TextEdit => ({ ...e, range: shiftRange(e.range, d) });
  return { ...moved, fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map(edit) })) };
}

/** A cloud's results `d` lines further down; findings in secure.yaml and clouds-public.yaml stay. */
function shiftResult(r: CloudResult, d: number, cloudsPath: string): CloudResult {
  const info: CloudInfo = { ...r.info, keyRange: shiftRange(r.info.keyRange, d), range: shiftRange(r.info.range, d) };
  const moved = new Map<Finding, Finding>();
  const located = r.located.map((l) => {
    if (l.file !== cloudsPath) return l;
    const f = shiftFinding(l.finding, d);
    moved.set(l.finding, f);
    return { file: l.file, finding: f };
  });
  return { info, located, own: r.own.map((f) => moved.get(f) ?? f) };
}

/** One clouds.yaml's analyses over its versions (one instance per document); each equals analyzeClouds on the same input. */
export class CloudsAnalyzer {
  private state: State | undefined;
  #reused = 0;

  /** How many clouds the last analysis took over from the one before (0 after a full analysis). */
  get reused(): number {
    return this.#reused;
  }

  analyze(input: CloudsInput, options: ConvertOptions = {}): CloudsAnalysis {
    this.#reused = 0;
    const state = this.state;
    if (!state || !this.sameContext(state, input, options)) return this.full(input, options);
    const edited = input.clouds.text !== state.text;
    if (edited && !this.edit(state, input.clouds.text, options)) return this.full(input, options);
    this.#reused = state.clouds.length - (edited ? 1 : 0) - this.reread(state, options);
    return this.assemble(state);
  }

  private sameContext(s: State, input: CloudsInput, options: ConvertOptions): boolean {
    return (
      !input.clouds.refused &&
      !input.secure?.refused &&
      !input.public?.refused &&
      input.clouds.path === s.input.cloudsPath &&
      input.secure?.text === s.input.secure &&
      input.secure?.path === s.input.securePath &&
      input.public?.text === s.input.public &&
      input.public?.path === s.input.publicPath &&
      options.readFile === s.readFile &&
      optionsKey(options) === s.options
    );
  }

  /** The full analysis, and the state for the next edit when the file is one this can follow. */
  private full(input: CloudsInput, options: ConvertOptions): CloudsAnalysis {
    this.state = undefined;
    const parsed = parseInput(input);
    const pairs = (parsed.clouds.clouds?.pairs ?? []).filter((p) => p.keyText !== '<<');
    const runs = pairs.map((pair) => recorded(parsed, pair, options));
    const analysis = assembleAnalysis(
      fileFindings(parsed),
      runs.map((r) => r.result),
    );
    this.state = this.follow(input, options, parsed, pairs, runs);
    return analysis;
  }

  private follow(
    input: CloudsInput,
    options: ConvertOptions,
    parsed: ParsedInput,
    pairs: readonly YPair[],
    runs: readonly { result: CloudResult; reads: [string, Read][] }[],
  ): State | undefined {
    const paths = [input.clouds.path, input.secure?.path, input.public?.path].filter((p) => p !== undefined);
    if (new Set(paths).size !== paths.length) return undefined;
    if (input.clouds.refused || input.secure?.refused || input.public?.refused) return undefined;
    if (fileFindings(parsed).length || !pairs.length) return undefined;
    const root = parsed.clouds.doc.root;
    const map = parsed.clouds.clouds;
    if (root?.kind !== 'map' || root.flow || !map || map.flow || map.pairs.length !== pairs.length) return undefined;
    if ([parsed.clouds.doc.root, parsed.secure?.doc.root, parsed.public?.doc.root].some(linked)) return undefined;
    const text = input.clouds.text;
    const lines = text.split('\n');
    const indent = pairs[0].key.range.start.character;
    if (indent < 1) return undefined;
    const clouds: Cloud[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const key = pairs[i].key;
      const first = key.range.start.line;
      if (key.kind !== 'scalar' || key.range.start.character !== indent || leadingSpaces(lines[first]) !== indent) return undefined;
      if (i && first <= clouds[i - 1].first) return undefined;
      if (i) clouds[i - 1].end = first;
      clouds.push({ name: pairs[i].keyText, first, end: lines.length, shift: 0, parsed, pair: pairs[i], ...runs[i] });
    }
    const last = clouds[clouds.length - 1];
    for (let l = last.first + 1; l < lines.length; l++) {
      const n = lineIndent(lines[l]);
      if (n !== undefined && n <= indent) {
        last.end = l;
        break;
      }
    }
    return {
      input: {
        cloudsPath: input.clouds.path,
        ...(input.secure ? { secure: input.secure.text, securePath: input.secure.path } : {}),
        ...(input.public ? { public: input.public.text, publicPath: input.public.path } : {}),
      },
      options: optionsKey(options),
      readFile: options.readFile,
      parsed,
      text,
      lines,
      indent,
      clouds,
      nodes: parsed.clouds.doc.nodes,
      secureNodes: parsed.secure?.doc.nodes ?? 0,
    };
  }

  /** Takes an edit inside one cloud's block; false when it cannot (the caller then analyses the whole file). */
  private edit(s: State, text: string, options: ConvertOptions): boolean {
    if (text.length > YAML_LIMITS.maxChars) return false;
    const lines = text.split('\n');
    const old = s.lines;
    let a = 0;
    const common = Math.min(old.length, lines.length);
    while (a < common && old[a] === lines[a]) a++;
    let c = 0;
    while (c < common - a && old[old.length - 1 - c] === lines[lines.length - 1 - c]) c++;
    const oldEnd = old.length - c;
    const delta = lines.length - old.length;
    // The cloud whose block holds the changed lines: the last one starting at or before them.
    let lo = 0;
    let hi = s.clouds.length - 1;
    if (a < s.clouds[0].first) return false;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s.clouds[mid].first <= a) lo = mid;
      else hi = mid - 1;
    }
    const i = lo;
    const cloud = s.clouds[i];
    if (oldEnd > cloud.end) return false;
    const first = cloud.first;
    const end = cloud.end + delta;
    if (end <= first) return false;
    // The block must still be one cloud: its key line at the indentation, everything else deeper.
    if (leadingSpaces(lines[first]) !== s.indent || lineIndent(lines[first]) !== s.indent) return false;
    for (let l = first + 1; l < end; l++) {
      const n = lineIndent(lines[l]);
      if (n !== undefined && n <= s.indent) return false;
    }
    const block = lines.slice(first, end).join('\n') + (end < lines.length ? '\n' : '');
    const own = '\n'.repeat(first - 1) + 'clouds:\n' + block;
    const file: ParsedFile = parseCloudsFile({ path: s.input.cloudsPath, text: own }, s.parsed.secure);
    const pair = file.clouds?.pairs.length === 1 ? file.clouds.pairs[0] : undefined;
    if (file.findings.length || !pair || file.clouds?.flow || linked(file.doc.root)) return false;
    const key = pair.key;
    if (key.kind !== 'scalar' || key.range.start.line !== first || key.range.start.character !== s.indent || pair.keyText === '<<')
      return false;
    if (pair.keyText !== cloud.name && s.clouds.some((o) => o.name === pair.keyText)) return false;
    const nodes = s.nodes + file.doc.nodes;
    if (nodes > YAML_LIMITS.maxNodes || (s.parsed.secure?.clouds && nodes + s.secureNodes > YAML_LIMITS.maxExpandedNodes)) return false;
    const parsed: ParsedInput = { ...s.parsed, clouds: file };
    const run = recorded(parsed, pair, options);
    s.clouds[i] = { name: pair.keyText, first, end, shift: 0, parsed, pair, ...run };
    if (delta)
      for (let j = i + 1; j < s.clouds.length; j++) {
        s.clouds[j].first += delta;
        s.clouds[j].end += delta;
        s.clouds[j].shift += delta;
      }
    s.nodes = nodes;
    s.text = text;
    s.lines = lines;
    return true;
  }

  /** Analyses again each cloud that read a local file which now reads differently; how many. */
  private reread(s: State, options: ConvertOptions): number {
    const readFile = options.readFile;
    let again = 0;
    if (!readFile) return again;
    for (const cloud of s.clouds) {
      if (!cloud.reads.length || cloud.reads.every(([path, r]) => sameRead(readFile(path), r))) continue;
      const run = recorded(cloud.parsed, cloud.pair, options);
      cloud.result = run.result;
      cloud.reads = run.reads;
      cloud.shifted = undefined;
      again++;
    }
    return again;
  }

  private assemble(s: State): CloudsAnalysis {
    const results = s.clouds.map((cloud) => {
      if (!cloud.shift) return cloud.result;
      if (cloud.shifted?.by !== cloud.shift)
        cloud.shifted = { by: cloud.shift, result: shiftResult(cloud.result, cloud.shift, s.input.cloudsPath) };
      return cloud.shifted.result;
    });
    return assembleAnalysis([], results);
  }
}
