/**
 * A faithful model of how gopkg.in/gcfg.v1 (v1.2.3) reads a cloud.conf through `gcfg.ReadInto`
 * (the reader OCCM and Cinder CSI use): scanner/scanner.go and read.go ported rule for rule, on the
 * UTF-8 bytes, so it answers "what fatal error does gcfg report, where" and, with decode.ts
 * `decodeCloudConf(parseGcfg(text), 'occm' | 'csi')`, "what value does gcfg see for this key".
 * test/conformance/gcfg-model.test.ts compares both with the real gcfg on thousands of texts.
 *
 * Known limit: Go 1.19 classifies characters with Unicode 13 tables, this model with the
 * JavaScript engine's newer ones. Only non-ASCII section/key names, and the wording of messages
 * that quote characters assigned after Unicode 13, can differ.
 */
import type { Position, Range } from '../findings';
import { LineIndex } from '../yaml/lines';

export interface GcfgHeader {
  /** Section name as written (gcfg matches it case-insensitively). */
  readonly name: string;
  /** `[name "sub"]`: the unquoted subsection; undefined without one. */
  readonly subsection?: string;
  /** From `[` to after `]`. */
  readonly range: Range;
  readonly nameRange: Range;
  readonly subsectionRange?: Range;
}

export interface GcfgVariable {
  /** The header the variable belongs to (gcfg's current section). */
  readonly header: GcfgHeader;
  /** Variable name as written. */
  readonly name: string;
  readonly nameRange: Range;
  /** `name` without `=`: gcfg's "blank" value (true for a bool, fatal for other types). */
  readonly blank: boolean;
  /** The value as gcfg stores it (quotes removed, escapes resolved, CR stripped); '' when blank. */
  readonly value: string;
  /** The value's source text (quotes and escapes included, trailing blanks of an unquoted value excluded). */
  readonly raw: string;
  /** Range of `raw` (zero-width after the name when blank). */
  readonly valueRange: Range;
  /** The raw value contains a double quote that gcfg treats as quoting (not `\"`). */
  readonly quoted: boolean;
  /** Where the unquoted scan stopped at `;` or `#` on the same line: the comment that follows the value. */
  readonly commentRange?: Range;
  /** The value spans lines through `\` + newline continuations. */
  readonly continued: boolean;
}

export interface GcfgSyntaxError {
  /** gcfg's message, e.g. `unquoted '\' must be followed by new line or double quote`. */
  readonly message: string;
  /** The error exactly as gcfg's error string prints it (`line:col: message`, byte columns, `(and N more errors)`). */
  readonly goError: string;
  /** The precise culprit in the text. */
  readonly range: Range;
}

export interface GcfgDocument {
  /** Headers and variables in the order gcfg hands them to its setter, up to a fatal syntax error. */
  readonly headers: readonly GcfgHeader[];
  readonly variables: readonly GcfgVariable[];
  /** gcfg's first fatal syntax error; nothing after it is read. */
  readonly error?: GcfgSyntaxError;
  /** Maps byte offsets of the UTF-8 source to positions; `source.text` is the decoded text. */
  readonly source: GcfgSource;
}

const EOF = -1;
/** Token kinds; comments never reach the reader (gcfg scans with mode 0, which skips them). */
const enum Tok {
  EOF,
  EOL,
  IDENT,
  STRING,
  LBRACK,
  RBRACK,
  ASSIGN,
  ILLEGAL,
}

/** The UTF-8 bytes gcfg reads plus the mapping to editor positions (UTF-16, like LSP). */
export class GcfgSource {
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly lines: LineIndex;
  /** UTF-16 index of the code point that contains each byte offset (length bytes+1). */
  private readonly u16: Int32Array;
  /** Byte offsets where lines start (after each LF). */
  private readonly byteLineStarts: number[] = [0];

  constructor(input: string | Uint8Array) {
    if (typeof input === 'string') {
      this.text = input;
      [this.bytes, this.u16] = encodeWtf8(input);
    } else {
      this.bytes = input;
      this.text = decodeLikeGo(input);
      this.u16 = new Int32Array(input.length + 1);
      let u = 0;
      for (let i = 0; i < input.length;) {
        const [r, w] = decodeRune(input, i);
        this.u16.fill(u, i, i + w);
        u += r > 0xffff ? 2 : 1;
        i += w;
      }
      this.u16[input.length] = u;
    }
    this.lines = new LineIndex(this.text);
    this.bytes.forEach((c, i) => {
      if (c === 0x0a) this.byteLineStarts.push(i + 1);
    });
  }

  /** Editor position of a byte offset. */
  position(offset: number): Position {
    return this.lines.position(this.u16[offset]);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** `line:col` as gcfg's token.Position prints it: 1-based, byte column; an offset at EOF after a final LF stays on the last line. */
  goPosition(offset: number): string {
    let line = this.position(offset).line;
    if (line > 0 && this.byteLineStarts[line] >= this.bytes.length) line--;
    return `${line + 1}:${offset - this.byteLineStarts[line] + 1}`;
  }

  slice(start: number, end: number): string {
    return UTF8.decode(this.bytes.subarray(start, end));
  }
}

const UTF8 = new TextDecoder('utf-8');

/**
 * UTF-8, except that lone surrogates become their 3-byte (invalid) encodings, which gcfg rejects
 * like any invalid UTF-8; also returns the UTF-16 index of every byte offset.
 */
function encodeWtf8(s: string): [Uint8Array, Int32Array] {
  const out: number[] = [];
  const u16: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const at = i;
    const before = out.length;
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    for (let j = before; j < out.length; j++) u16.push(at);
  }
  u16.push(s.length);
  return [Uint8Array.from(out), Int32Array.from(u16)];
}

function decodeLikeGo(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length;) {
    const [r, w] = decodeRune(b, i);
    s += String.fromCodePoint(r);
    i += w;
  }
  return s;
}

/** Go's utf8.DecodeRune: [rune, width]; invalid or short input is [U+FFFD, 1]. */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const b0 = b[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => i + j < b.length && b[i + j] >= lo && b[i + j] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    if (cont(1)) return [((b0 & 0x1f) << 6) | (b[i + 1] & 63), 2];
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (cont(1, lo, hi) && cont(2)) return [((b0 & 0x0f) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63), 3];
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      return [((b0 & 0x07) << 18) | ((b[i + 1] & 63) << 12) | ((b[i + 2] & 63) << 6) | (b[i + 3] & 63), 4];
    }
  }
  return [0xfffd, 1];
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const isLetter = (ch: number): boolean =>
  (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x80 && LETTER.test(String.fromCodePoint(ch)));
const isDigit = (ch: number): boolean => (ch >= 0x30 && ch <= 0x39) || (ch >= 0x80 && DIGIT.test(String.fromCodePoint(ch)));
const isWhiteSpace = (ch: number): boolean => ch === 0x20 || ch === 0x09 || ch === 0x0d;

interface ScanError {
  readonly offset: number;
  readonly message: string;
  /** The culprit, for editor ranges. */
  readonly start: number;
  readonly end: number;
}

interface Token {
  readonly tok: Tok;
  readonly pos: number;
  readonly end: number;
  readonly lit: string;
}

/** scanner.Scanner, mode 0 (comments skipped). */
class Scanner {
  private ch = 0x20;
  private offset = 0;
  private rdOffset = 0;
  private nextVal = false;
  /** Set by scanValString: where an unquoted value stopped at `;`/`#`, whether it had continuations. */
  commentAt = -1;
  continued = false;
  quoted = false;

  constructor(
    private readonly src: Uint8Array,
    readonly errors: ScanError[],
  ) {
    this.next();
  }

  private error(offset: number, message: string, start = offset, end = start + 1): void {
    this.errors.push({ offset, message, start, end: Math.min(end, this.src.length) });
  }

  private next(): void {
    if (this.rdOffset < this.src.length) {
      this.offset = this.rdOffset;
      let r = this.src[this.rdOffset];
      let w = 1;
      if (r === 0) {
        this.error(this.offset, 'illegal character NUL');
      } else if (r >= 0x80) {
        [r, w] = decodeRune(this.src, this.rdOffset);
        if (r === 0xfffd && w === 1) this.error(this.offset, 'illegal UTF-8 encoding');
      }
      this.rdOffset += w;
      this.ch = r;
    } else {
      this.offset = this.src.length;
      this.ch = EOF;
    }
  }

  private scanComment(): void {
    while (this.ch !== 0x0a && this.ch >= 0) this.next();
  }

  private scanIdentifier(): void {
    while (isLetter(this.ch) || isDigit(this.ch) || this.ch === 0x2d) this.next();
  }

  private scanEscape(val: boolean): void {
    const offs = this.offset;
    const ch = this.ch;
    this.next();
    if (ch === 0x5c || ch === 0x22) return;
    if ((ch === 0x6e || ch === 0x74) && val) return;
    this.error(offs, 'unknown escape sequence', offs - 1, this.offset);
  }

  private scanString(): string {
    const offs = this.offset - 1;
    while (this.ch !== 0x22) {
      const ch = this.ch;
      this.next();
      if (ch === 0x0a || ch < 0) {
        this.error(offs, 'string not terminated', offs, this.offset);
        break;
      }
      if (ch === 0x5c) this.scanEscape(false);
    }
    this.next();
    return this.decode(offs, this.offset);
  }

  private scanValString(): [string, number] {
    const offs = this.offset;
    let hasCR = false;
    let end = offs;
    let inQuote = false;
    this.commentAt = -1;
    this.continued = false;
    this.quoted = false;
    let quoteStart = offs;
    while (inQuote || (this.ch >= 0 && this.ch !== 0x0a && this.ch !== 0x3b && this.ch !== 0x23)) {
      const ch = this.ch;
      const at = this.offset;
      this.next();
      if (inQuote && ch === 0x5c) {
        this.scanEscape(true);
      } else if (!inQuote && ch === 0x5c) {
        if (this.ch === 0x0d) {
          hasCR = true;
          this.next();
        }
        if (this.ch !== 0x0a && this.ch !== 0x22) {
          this.error(offs, "unquoted '\\' must be followed by new line or double quote", at, this.offset + 1);
          break;
        }
        if (this.ch === 0x0a) this.continued = true;
        this.next();
      } else if (ch === 0x22) {
        inQuote = !inQuote;
        this.quoted = true;
        if (inQuote) quoteStart = at;
      } else if (ch === 0x0d) {
        hasCR = true;
      } else if (ch < 0 || (inQuote && ch === 0x0a)) {
        this.error(offs, 'string not terminated', inQuote ? quoteStart : offs, at);
        break;
      }
      if (inQuote || !isWhiteSpace(ch)) end = this.offset;
    }
    if (this.ch === 0x3b || this.ch === 0x23) this.commentAt = this.offset;
    let lit = this.src.subarray(offs, end);
    if (hasCR) lit = lit.filter((c) => c !== 0x0d);
    return [UTF8.decode(lit), end];
  }

  private decode(start: number, end: number): string {
    return UTF8.decode(this.src.subarray(start, end));
  }

  scan(): Token {
    for (;;) {
      while (isWhiteSpace(this.ch)) this.next();
      const pos = this.offset;
      const ch = this.ch;
      if (this.nextVal) {
        this.nextVal = false;
        const [lit, end] = this.scanValString();
        return { tok: Tok.STRING, pos, end, lit };
      }
      if (isLetter(ch)) {
        this.scanIdentifier();
        return { tok: Tok.IDENT, pos, end: this.offset, lit: this.decode(pos, this.offset) };
      }
      this.next();
      switch (ch) {
        case EOF:
          return { tok: Tok.EOF, pos, end: pos, lit: '' };
        case 0x0a:
          return { tok: Tok.EOL, pos, end: pos, lit: '' };
        case 0x22: {
          const lit = this.scanString();
          return { tok: Tok.STRING, pos, end: this.offset, lit };
        }
        case 0x5b:
          return { tok: Tok.LBRACK, pos, end: this.offset, lit: '' };
        case 0x5d:
          return { tok: Tok.RBRACK, pos, end: this.offset, lit: '' };
        case 0x3b:
        case 0x23:
          this.scanComment();
          continue;
        case 0x3d:
          this.nextVal = true;
          return { tok: Tok.ASSIGN, pos, end: this.offset, lit: '' };
        default:
          this.error(pos, `illegal character ${goRuneVerbose(ch)}`, pos, this.offset);
          return { tok: Tok.ILLEGAL, pos, end: this.offset, lit: '' };
      }
    }
  }
}

/** Go's `%#U`: `U+005F '_'` (the character only when printable). */
function goRuneVerbose(ch: number): string {
  const hex = `U+${ch.toString(16).toUpperCase().padStart(4, '0')}`;
  return isGoPrint(ch) ? `${hex} '${String.fromCodePoint(ch)}'` : hex;
}

/** Go's strconv.IsPrint (letters, marks, numbers, punctuation, symbols, ASCII space). */
export function isGoPrint(ch: number): boolean {
  if (ch === 0x20) return true;
  if (ch === 0xfffd) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(ch));
}

/** Go's strconv.Quote for a valid string (`%q`). */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const r = c.codePointAt(0) ?? 0;
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (isGoPrint(r)) out += c;
    else if (r === 7) out += '\\a';
    else if (r === 8) out += '\\b';
    else if (r === 12) out += '\\f';
    else if (r === 10) out += '\\n';
    else if (r === 13) out += '\\r';
    else if (r === 9) out += '\\t';
    else if (r === 11) out += '\\v';
    else if (r < 0x20 || r === 0x7f) out += `\\x${r.toString(16).padStart(2, '0')}`;
    else if (r < 0x10000) out += `\\u${r.toString(16).padStart(4, '0')}`;
    else out += `\\U${r.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

const UNESCAPE = new Map([
  ['\\', '\\'],
  ['"', '"'],
  ['n', '\n'],
  ['t', '\t'],
]);

/** read.go `unquote` (the scanner has already rejected every input it would panic on). */
export function unquote(s: string): string {
  let u = '';
  let q = false;
  let esc = false;
  for (const c of s) {
    if (esc) {
      esc = false;
      u += UNESCAPE.get(c) ?? ''; // an escaped newline (continuation) is dropped
      continue;
    }
    if (c === '"') q = !q;
    else if (c === '\\') esc = true;
    else u += c;
  }
  return u;
}

/** Reads a cloud.conf the way gcfg.ReadInto does (read.go readIntoPass), without binding to a struct. */
export function parseGcfg(input: string | Uint8Array): GcfgDocument {
  const source = new GcfgSource(input);
  const errors: ScanError[] = [];
  const s = new Scanner(source.bytes, errors);
  const headers: GcfgHeader[] = [];
  const variables: GcfgVariable[] = [];
  let header: GcfgHeader | undefined;
  let t = s.scan();

  const scanFailed = (): GcfgSyntaxError | undefined => {
    if (!errors.length) return undefined;
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '';
    return {
      message: first.message,
      goError: `${source.goPosition(first.offset)}: ${first.message}${more}`,
      range: source.range(first.start, Math.max(first.end, first.start)),
    };
  };
  const fail = (message: string, at: Token): GcfgSyntaxError => ({
    message,
    goError: `${source.goPosition(at.pos)}: ${message}`,
    range: source.range(at.pos, at.end > at.pos ? at.end : lineEnd(source.bytes, at.pos)),
  });
  const done = (error?: GcfgSyntaxError): GcfgDocument => ({ headers, variables, source, ...(error ? { error } : {}) });

  for (;;) {
    let err = scanFailed();
    if (err) return done(err);
    switch (t.tok) {
      case Tok.EOF:
        return done();
      case Tok.EOL:
        t = s.scan();
        break;
      case Tok.LBRACK: {
        const open = t;
        t = s.scan();
        if ((err = scanFailed())) return done(err);
        if (t.tok !== Tok.IDENT) return done(fail('expected section name', t));
        const nameTok = t;
        let sub: string | undefined;
        let subTok: Token | undefined;
        t = s.scan();
        if ((err = scanFailed())) return done(err);
        if (t.tok === Tok.STRING) {
          sub = unquote(t.lit);
          subTok = t;
          if (sub === '') return done(fail('empty subsection name', t));
          t = s.scan();
          if ((err = scanFailed())) return done(err);
        }
        if (t.tok !== Tok.RBRACK) {
          return done(fail(sub === undefined ? 'expected subsection name or right bracket' : 'expected right bracket', t));
        }
        const close = t;
        t = s.scan();
        if (t.tok !== Tok.EOL && t.tok !== Tok.EOF) return done(fail('expected EOL, EOF, or comment', t));
        header = {
          name: nameTok.lit,
          range: source.range(open.pos, close.end),
          nameRange: source.range(nameTok.pos, nameTok.end),
          ...(sub !== undefined && subTok ? { subsection: sub, subsectionRange: source.range(subTok.pos, subTok.end) } : {}),
        };
        headers.push(header);
        break;
      }
      case Tok.IDENT: {
        if (!header) return done(fail('expected section header', t));
        const nameTok = t;
        t = s.scan();
        if ((err = scanFailed())) return done(err);
        const blank = t.tok === Tok.EOF || t.tok === Tok.EOL;
        let value = '';
        let raw = '';
        let valueRange = source.range(nameTok.end, nameTok.end);
        let commentRange: Range | undefined;
        let quoted = false;
        let continued = false;
        if (!blank) {
          if (t.tok !== Tok.ASSIGN) return done(fail("expected '='", t));
          t = s.scan();
          if ((err = scanFailed())) return done(err);
          if (t.tok !== Tok.STRING) return done(fail('expected value', t));
          value = unquote(t.lit);
          raw = source.slice(t.pos, t.end);
          valueRange = source.range(t.pos, t.end);
          quoted = s.quoted;
          continued = s.continued;
          if (s.commentAt >= 0) commentRange = source.range(s.commentAt, lineEnd(source.bytes, s.commentAt));
          t = s.scan();
          if ((err = scanFailed())) return done(err);
          if (t.tok !== Tok.EOL && t.tok !== Tok.EOF) return done(fail('expected EOL, EOF, or comment', t));
        }
        variables.push({
          header,
          name: nameTok.lit,
          nameRange: source.range(nameTok.pos, nameTok.end),
          blank,
          value,
          raw,
          valueRange,
          quoted,
          continued,
          ...(commentRange ? { commentRange } : {}),
        });
        break;
      }
      default:
        return done(fail(header ? 'expected section header or variable declaration' : 'expected section header', t));
    }
  }
}

/** Offset of the end of the line containing `offset` (before LF, and before a CR preceding it). */
function lineEnd(b: Uint8Array, offset: number): number {
  let i = offset;
  while (i < b.length && b[i] !== 0x0a) i++;
  if (i > offset && b[i - 1] === 0x0d) i--;
  return i;
}
