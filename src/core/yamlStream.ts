/**
 * The text of a YAML stream kept as its documents, so that an edit replaces the document it falls in
 * instead of copying the whole text: a 5 MB manifest costs tens of milliseconds to copy, an edit of one
 * of its documents a few microseconds. A document begins at a `---` line (a document marker at the start
 * of a line ends any scalar, YAML 1.2 §9.1.4 c-forbidden), so the split needs no parse. Whether a
 * position begins a document depends on the character before it and the four from it, which is why an
 * edit splits again only the documents from four characters before it to the end of the one it ends in.
 */

/** One document of the stream: its text from its `---` line (or the stream's start) up to the next. */
export interface StreamDocument {
  readonly text: string;
  /** How many line breaks (`\n`) the text has: the next document begins that many lines further down. */
  readonly breaks: number;
}

const NL = 10;

/** Whether the `---` at `at` (a line start) is a document marker: followed by a space, tab, line break or the end. */
function isMarker(text: string, at: number): boolean {
  const c = text.charCodeAt(at + 3);
  return Number.isNaN(c) || c === 32 || c === 9 || c === 13 || c === NL;
}

function breaksOf(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/** The documents of `text`, whose first position is taken as a line start that is never split at. */
export function splitDocuments(text: string): StreamDocument[] {
  const out: StreamDocument[] = [];
  let start = 0;
  for (let nl = text.indexOf('\n---'); nl >= 0; nl = text.indexOf('\n---', nl + 1)) {
    if (!isMarker(text, nl + 1)) continue;
    const doc = text.slice(start, nl + 1);
    out.push({ text: doc, breaks: breaksOf(doc) });
    start = nl + 1;
  }
  const last = text.slice(start);
  out.push({ text: last, breaks: breaksOf(last) });
  return out;
}

export class YamlStream {
  private docs: readonly StreamDocument[];
  private size: number;
  private joined: string | undefined;

  constructor(text: string) {
    this.docs = splitDocuments(text);
    this.size = text.length;
    this.joined = text;
  }

  get length(): number {
    return this.size;
  }

  /** The whole text (copied together once after an edit, when first asked for). */
  get text(): string {
    return (this.joined ??= this.docs.map((d) => d.text).join(''));
  }

  /**
   * The documents, in order (never empty). An edit gives a new array and keeps every document it did
   * not change as the same object, so a cache may key on them.
   */
  get documents(): readonly StreamDocument[] {
    return this.docs;
  }

  /** Replaces `length` characters at `offset` with `text`; false, changing nothing, when that range is not in the text. */
  replace(offset: number, length: number, text: string): boolean {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.size)) return false;
    // From the document holding offset - 4 (whose start the edit cannot touch) to the one holding the
    // last changed character (the start of the one after cannot change either).
    const from = Math.max(0, offset - 4);
    const to = Math.max(0, Math.min(offset + length, this.size - 1));
    const docs = this.docs;
    let first = 0;
    let start = 0;
    while (first < docs.length - 1 && start + docs[first].text.length <= from) start += docs[first++].text.length;
    let last = first;
    for (let end = start + docs[first].text.length; last < docs.length - 1 && end <= to;) end += docs[++last].text.length;
    const old = docs.slice(first, last + 1);
    const region = old.length === 1 ? old[0].text : old.map((d) => d.text).join('');
    const fresh = splitDocuments(region.slice(0, offset - start) + text + region.slice(offset - start + length));
    // The documents around the edit that came out the same stay the same objects.
    let head = 0;
    while (head < fresh.length && head < old.length && fresh[head].text === old[head].text) fresh[head] = old[head++];
    for (let f = fresh.length - 1, o = old.length - 1; f >= head && o >= head && fresh[f].text === old[o].text; f--, o--) fresh[f] = old[o];
    this.docs = [...docs.slice(0, first), ...fresh, ...docs.slice(last + 1)];
    this.size += text.length - length;
    this.joined = undefined;
    return true;
  }
}
