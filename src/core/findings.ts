/**
 * Findings: what every rule in the core reports. Positions are 0-based (line, character) like the
 * Language Server Protocol; the CLI prints them 1-based.
 */

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/** A text replacement in the file the finding belongs to. */
export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** A mechanical fix: applying all edits removes the finding. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Finding {
  /** Stable identifier, e.g. `CS101`; documented in the README. */
  readonly code: string;
  readonly severity: Severity;
  readonly range: Range;
  /** Never contains a secret value. */
  readonly message: string;
  readonly fixes?: readonly Fix[];
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Control characters (C0, DEL, C1), line/paragraph separators and bidirectional controls as escapes
 * (`\n`, `\u001b`, `\u202e`), so that a file name, an `OS_CLOUD` or a value quoted in a message can
 * neither break a one-line message nor reorder or hide what a terminal or the Problems view shows.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** `file:line:col: severity code: message` (1-based), one line: the CLI's, CI's and the editor preview's format. */
export function formatFinding(file: string, f: Finding): string {
  return escapeControls(`${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message}`);
}

/**
 * The first error of a refused conversion as one line for a notification or an exception: code, file name
 * and line, message, and how many more errors there are. A message never holds a value, but a file name
 * can hold control or bidi characters: they are shown as escapes.
 */
export function firstErrorLine(findings: ReadonlyMap<string, readonly Finding[]>): string {
  const errors = [...findings.entries()].flatMap(([file, list]) => list.filter((f) => f.severity === 'error').map((f) => ({ file, f })));
  const first = errors[0];
  if (!first) return 'the cloud cannot be converted';
  const where = `${first.file.split(/[\\/]/).pop()}:${first.f.range.start.line + 1}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return escapeControls(`${first.f.code} at ${where}: ${first.f.message.replace(/\s*\n\s*/g, ' ')}${more}`);
}
