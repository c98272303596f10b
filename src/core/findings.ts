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

/** `file:line:col: severity code: message` — the CLI's and CI's format (1-based). */
export function formatFinding(file: string, f: Finding): string {
  return `${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message}`;
}
