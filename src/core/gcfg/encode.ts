/**
 * A gcfg-correct writer for cloud.conf (the format the OpenStack cloud-controller-manager and
 * Cinder CSI read with gopkg.in/gcfg.v1). Rules: domain.md §5.5 and §(b).
 *
 * Every string value is written double-quoted with exactly the four escapes gcfg knows
 * (`\\`, `\"`, `\n`, `\t`), so `;`, `#`, leading/trailing blanks and backslashes survive. Values
 * gcfg cannot carry (CR, NUL, other C0 controls, lone surrogates, U+FEFF) are refused, never altered.
 */

export class GcfgEncodeError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`cannot write "${key}" to cloud.conf: ${reason}`);
    this.name = 'GcfgEncodeError';
  }
}

/** Why a value cannot be represented in gcfg, or undefined when it can. Never echoes the value. */
export function unrepresentable(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x00) return 'it contains a NUL character, which gcfg rejects';
    if (c === 0x0d) return 'it contains a carriage return (CR), which gcfg silently strips even inside quotes';
    if (c < 0x20 && c !== 0x09 && c !== 0x0a) return `it contains the control character U+${c.toString(16).padStart(4, '0').toUpperCase()}`;
    if (c === 0xfeff) return 'it contains a byte-order mark (U+FEFF), which gcfg rejects';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return 'it is not valid Unicode (a lone surrogate)';
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return 'it is not valid Unicode (a lone surrogate)';
    }
  }
  return undefined;
}

/** The quoted gcfg form of `value`; throws GcfgEncodeError when gcfg cannot carry it. */
export function encodeValue(key: string, value: string): string {
  const why = unrepresentable(value);
  if (why) throw new GcfgEncodeError(key, why);
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += ch;
    }
  }
  return out + '"';
}

/**
 * The quoted form of a subsection name (`[Global "name"]`). gcfg reads subsection names with fewer
 * escapes than values: only `\\` and `\"` (a TAB is written literally), and a newline cannot be
 * written at all.
 */
export function encodeSubsection(section: string, name: string): string {
  const why =
    name === ''
      ? 'gcfg rejects an empty subsection name'
      : name.includes('\n')
        ? 'a subsection name cannot contain a newline'
        : unrepresentable(name);
  if (why) throw new GcfgEncodeError(section, why);
  return `"${name.replace(/["\\]/g, (c) => '\\' + c)}"`;
}

export type ConfValue = string | boolean;

export interface ConfEntry {
  readonly key: string;
  readonly value: ConfValue;
  /** Masked in previews unless revealed. */
  readonly secret?: boolean;
}

export interface ConfSection {
  readonly name: string;
  /** `[name "sub"]` */
  readonly subsection?: string;
  readonly entries: readonly ConfEntry[];
}

export interface RenderOptions {
  /** Replace secret values by this text (encoded like any value). */
  readonly mask?: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Renders sections as a cloud.conf (LF line endings, no BOM, a blank line between sections). */
export function renderCloudConf(sections: readonly ConfSection[], options: RenderOptions = {}): string {
  const blocks = sections.map((s) => {
    if (!NAME.test(s.name))
      throw new GcfgEncodeError(s.name, 'a section name must start with a letter and hold only letters, digits and "-"');
    const header = s.subsection === undefined ? `[${s.name}]` : `[${s.name} ${encodeSubsection(s.name, s.subsection)}]`;
    const lines = s.entries.map((e) => {
      if (!NAME.test(e.key)) throw new GcfgEncodeError(e.key, 'a key must start with a letter and hold only letters, digits and "-"');
      if (typeof e.value === 'boolean') return `${e.key.toLowerCase()}=${e.value}`;
      if (e.secret && options.mask !== undefined) return `${e.key.toLowerCase()}=${encodeValue(e.key, options.mask)}`;
      return `${e.key.toLowerCase()}=${encodeValue(e.key, e.value)}`;
    });
    return [header, ...lines].join('\n');
  });
  return blocks.join('\n\n') + '\n';
}
