/**
 * A file as the core reads it, and the two ways bytes from disk are refused before any parsing: too
 * large to analyse (CS002) and not UTF-8 (CS180). Both are located findings of that file, so the
 * CLI reports them like every other problem instead of a bare "cannot read".
 */
import type { Finding } from './findings';
import { decodeUtf8 } from './text';
import { LineIndex } from './yaml/lines';

/** A file as the caller has it (an open editor buffer or a file on disk). */
export interface SourceFile {
  /** Absolute path or URI string; used in messages and to resolve a relative `cacert`. */
  readonly path: string;
  readonly text: string;
  /** Set when the file's bytes cannot be analysed as they are; `text` is then only for positions. */
  readonly refused?: Finding;
}

const CLOUDS_NOT_UTF8 =
  'openstacksdk fails to read it and Go readers refuse it, and the converter never alters a value. Save the file as UTF-8.';

/**
 * Bytes read from disk → a SourceFile, refused (CS180, at the first bad byte) when they are not UTF-8;
 * `consequence` ends the message (by default what it means for a clouds file).
 */
export function sourceFromBytes(path: string, bytes: Uint8Array, consequence = CLOUDS_NOT_UTF8): SourceFile {
  const d = decodeUtf8(bytes);
  if (d.ok) return { path, text: d.text };
  const lines = new LineIndex(d.text);
  const hex = d.value.toString(16).toUpperCase().padStart(2, '0');
  return {
    path,
    text: d.text,
    refused: {
      code: 'CS180',
      severity: 'error',
      range: lines.range(d.at, d.at + 1),
      message: `The file is not valid UTF-8 here (byte 0x${hex} at offset ${d.byte}): ${consequence}`,
    },
  };
}

/** A file too large to read at all: CS002 at its start. */
export function sourceTooLarge(path: string, why: string): SourceFile {
  return {
    path,
    text: '',
    refused: {
      code: 'CS002',
      severity: 'error',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `The file is not analysed: ${why}.`,
    },
  };
}
