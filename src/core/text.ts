/**
 * Bytes → text without altering anything: UTF-8 with TextDecoder's `fatal` mode (a replacement
 * character would silently change a credential), and where decoding fails, the first offending byte
 * and its position in the text, so the refusal can be a located finding. A byte-order mark is kept
 * as U+FEFF (the YAML reader and the cloud.conf linter handle it themselves).
 */

const FATAL = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LOSSY = new TextDecoder('utf-8', { ignoreBOM: true });

export type Decoded =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      /** Byte offset of the first sequence that is not UTF-8. */
      readonly byte: number;
      /** That sequence's first byte (for the message). */
      readonly value: number;
      /** Its UTF-16 offset in `text`, where a replacement character stands for it. */
      readonly at: number;
      /** The text with replacement characters: for positions only, never for values. */
      readonly text: string;
    };

export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: FATAL.decode(bytes) };
  } catch {
    const bad = firstInvalid(bytes);
    return { ok: false, byte: bad.byte, value: bytes[bad.byte], at: bad.units, text: LOSSY.decode(bytes) };
  }
}

/** The WHATWG UTF-8 decoder's rules (shortest form, no surrogates, at most U+10FFFF), tracking UTF-16 units. */
function firstInvalid(bytes: Uint8Array): { byte: number; units: number } {
  let units = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      units++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return { byte: i, units };
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < lo || c > hi) return { byte: i, units };
      lo = 0x80;
      hi = 0xbf;
    }
    units += need === 3 ? 2 : 1;
    i += need + 1;
  }
  return { byte: bytes.length, units };
}
