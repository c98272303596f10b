/**
 * Cluster-stack diagnostics of a multi-document manifest, per document of its YAML stream (yamlStream.ts):
 * each document is parsed and checked on its own and its findings are kept with the document (the same
 * object while an edit leaves it alone) and the tenant facts it was checked with. An edit then costs the
 * analysis of the documents it changed plus one pass over the list of documents, instead of parsing
 * (or even copying) the whole stream again: a 5 MB manifest takes most of a second to parse.
 */
import type { Finding, Range } from '../findings';
import { NON_PRINTABLE, YAML_LIMITS } from '../yaml/parse';
import type { StreamDocument, YamlStream } from '../yamlStream';
import { authoringFileKind } from './authoring';
import { concernsStacks, diagnoseStackText, type DiagnoseOptions } from './diagnose';
import type { TenantFacts } from './topology';

interface Entry {
  /** The document has a ClusterStack or Cluster kind line (`concernsStacks`). */
  readonly concerns: boolean;
  /**
   * The document ties its findings to the rest of the stream: a directive (a line starting with `%`)
   * belongs to the document after it, and a character YAML readers refuse makes the whole file refused.
   */
  readonly whole: boolean;
  /** Findings with lines relative to the document's first line, and the facts each namespace had then. */
  checked?: { readonly findings: readonly Finding[]; readonly asked: ReadonlyMap<string | undefined, TenantFacts | undefined> };
}

const shift = (r: Range, lines: number): Range => ({
  start: { line: r.start.line + lines, character: r.start.character },
  end: { line: r.end.line + lines, character: r.end.character },
});

/** One document's diagnostics over its versions (one instance per document). */
export class StackDiagnoser {
  /** The documents of the last call and their entries, in order. */
  private seen: readonly StreamDocument[] = [];
  private entries: readonly Entry[] = [];
  /** What the entries' findings were computed for. */
  private path: string | undefined;
  private schemaRunsToo: boolean | undefined;

  /** The findings of `stream`, as `diagnoseStackText` gives them; also says which namespaces' facts were asked for. */
  diagnose(path: string, stream: YamlStream, opts: DiagnoseOptions = {}): { findings: Finding[]; namespaces: string[] } {
    const namespaces = new Set<string>();
    const factsFor = (ns: string | undefined) => {
      if (ns) namespaces.add(ns);
      return opts.factsFor?.(ns);
    };
    // The authoring files are one document.
    if (authoringFileKind(path)) {
      return { findings: diagnoseStackText(path, stream.text, { ...opts, factsFor }), namespaces: [...namespaces] };
    }
    if (path !== this.path || opts.schemaRunsToo !== this.schemaRunsToo) {
      this.seen = [];
      this.entries = [];
      this.path = path;
      this.schemaRunsToo = opts.schemaRunsToo;
    }
    const docs = stream.documents;
    const entries = this.entriesOf(path, docs);
    if (!entries.some((e) => e.concerns)) return { findings: [], namespaces: [] };
    if (entries.some((e) => e.whole) || stream.length > YAML_LIMITS.maxChars) {
      return { findings: diagnoseStackText(path, stream.text, { ...opts, factsFor }), namespaces: [...namespaces] };
    }
    const findings: Finding[] = [];
    let line = 0;
    for (let i = 0; i < docs.length; i++) {
      const entry = entries[i];
      if (!entry.checked || factsChanged(entry.checked.asked, opts)) entry.checked = check(path, docs[i].text, opts);
      for (const ns of entry.checked.asked.keys()) if (ns) namespaces.add(ns);
      for (const f of entry.checked.findings) findings.push(line ? { ...f, range: shift(f.range, line) } : f);
      line += docs[i].breaks;
    }
    return { findings, namespaces: [...namespaces] };
  }

  /**
   * The entries of `docs`: the last call's for the documents before and after the ones that changed
   * since (the stream keeps those as the same objects), and for each changed one the entry of a replaced
   * document with the same text, or a new one.
   */
  private entriesOf(path: string, docs: readonly StreamDocument[]): Entry[] {
    const seen = this.seen;
    const most = Math.min(docs.length, seen.length);
    let head = 0;
    while (head < most && docs[head] === seen[head]) head++;
    let tail = 0;
    while (tail < most - head && docs[docs.length - 1 - tail] === seen[seen.length - 1 - tail]) tail++;
    const replaced = new Map<string, Entry>();
    for (let i = head; i < seen.length - tail; i++) replaced.set(seen[i].text, this.entries[i]);
    const fresh = docs
      .slice(head, docs.length - tail)
      .map(
        (d) => replaced.get(d.text) ?? { concerns: concernsStacks(path, d.text), whole: /^%/m.test(d.text) || NON_PRINTABLE.test(d.text) },
      );
    const entries = [...this.entries.slice(0, head), ...fresh, ...this.entries.slice(seen.length - tail)];
    this.seen = docs;
    this.entries = entries;
    return entries;
  }
}

function factsChanged(asked: ReadonlyMap<string | undefined, TenantFacts | undefined>, opts: DiagnoseOptions): boolean {
  for (const [ns, facts] of asked) if (opts.factsFor?.(ns) !== facts) return true;
  return false;
}

function check(path: string, text: string, opts: DiagnoseOptions): NonNullable<Entry['checked']> {
  const asked = new Map<string | undefined, TenantFacts | undefined>();
  const findings = diagnoseStackText(path, text, {
    ...opts,
    factsFor: (ns) => {
      const facts = opts.factsFor?.(ns);
      asked.set(ns, facts);
      return facts;
    },
  });
  return { findings, asked };
}
