/**
 * Cluster-stack diagnostics of a multi-document manifest, per document: a YAML stream splits at its
 * `---` lines (a document marker at the start of a line ends any scalar, YAML 1.2 §9.1.4 c-forbidden),
 * so each document is parsed and checked on its own and its findings are kept while its text (and the
 * tenant facts it was checked with) stay the same. An edit then costs one document's analysis plus the
 * split, instead of parsing the whole stream again (a 5 MB manifest takes most of a second).
 */
import type { Finding, Range } from '../findings';
import { authoringFileKind } from './authoring';
import { concernsStacks, diagnoseStackText, type DiagnoseOptions } from './diagnose';
import type { TenantFacts } from './topology';

interface Entry {
  /** Findings with lines relative to the document's first line. */
  readonly findings: readonly Finding[];
  /** The facts each namespace had when the document was checked. */
  readonly asked: ReadonlyMap<string | undefined, TenantFacts | undefined>;
}

const MARKER = /^---(?=[ \t\r\n]|$)/;

/** The documents of `text` as [first line, text] pairs; a document begins at its `---` line. */
export function documentChunks(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let start = 0;
  let startLine = 0;
  let line = 0;
  for (let at = 0; at < text.length; line++) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    if (at > start && MARKER.test(text.slice(at, Math.min(end, at + 4)))) {
      out.push({ line: startLine, text: text.slice(start, at) });
      start = at;
      startLine = line;
    }
    at = end;
  }
  if (start < text.length || !out.length) out.push({ line: startLine, text: text.slice(start) });
  return out;
}

const shift = (r: Range, lines: number): Range => ({
  start: { line: r.start.line + lines, character: r.start.character },
  end: { line: r.end.line + lines, character: r.end.character },
});

/** One document's diagnostics over its versions (one instance per document). */
export class StackDiagnoser {
  private cache = new Map<string, Entry>();

  /** The findings of `text`, as `diagnoseStackText` gives them; also says which namespaces' facts were asked for. */
  diagnose(path: string, text: string, opts: DiagnoseOptions = {}): { findings: Finding[]; namespaces: string[] } {
    const namespaces = new Set<string>();
    const factsFor = (ns: string | undefined) => {
      if (ns) namespaces.add(ns);
      return opts.factsFor?.(ns);
    };
    if (!concernsStacks(path, text)) {
      this.cache.clear();
      return { findings: [], namespaces: [] };
    }
    // The authoring files are one document; directives (`%YAML`, `%TAG`) belong to the document after them.
    if (authoringFileKind(path) || /^%/m.test(text)) {
      this.cache.clear();
      return { findings: diagnoseStackText(path, text, { ...opts, factsFor }), namespaces: [...namespaces] };
    }
    const next = new Map<string, Entry>();
    const findings: Finding[] = [];
    for (const chunk of documentChunks(text)) {
      let entry = next.get(chunk.text) ?? this.cache.get(chunk.text);
      if (!entry || [...entry.asked].some(([ns, facts]) => opts.factsFor?.(ns) !== facts)) {
        const asked = new Map<string | undefined, TenantFacts | undefined>();
        const own = diagnoseStackText(path, chunk.text, {
          ...opts,
          factsFor: (ns) => {
            const facts = opts.factsFor?.(ns);
            asked.set(ns, facts);
            return facts;
          },
        });
        entry = { findings: own, asked };
      }
      next.set(chunk.text, entry);
      for (const ns of entry.asked.keys()) if (ns) namespaces.add(ns);
      for (const f of entry.findings) findings.push(chunk.line ? { ...f, range: shift(f.range, chunk.line) } : f);
    }
    this.cache = next;
    return { findings, namespaces: [...namespaces] };
  }
}
