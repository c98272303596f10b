/**
 * How YAML 1.1 readers resolve a plain scalar: PyYAML (openstacksdk), goyaml.v2 via sigs.k8s.io/yaml
 * (CAPO, CSPO, Helm). This project's parser is YAML 1.2, so `012345` and `yes` look like harmless
 * strings here while those readers turn them into numbers and booleans (domain.md §6.5).
 */

export interface Yaml11Reading {
  /** What the readers see instead of a string. */
  readonly type: 'bool' | 'int' | 'float' | 'null' | 'timestamp';
  /** True when the Python reader (the converter's policy) yields exactly the raw text. */
  readonly pythonKeepsText: boolean;
  /** Human explanation, without the value itself. */
  readonly explanation: string;
}

const BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const NULL = /^(~|null|Null|NULL)$/;
const INT_DEC = /^[-+]?(0|[1-9][0-9_]*)$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT_OCT_BAD = /^[-+]?0[0-9_]+$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const INT_BIN = /^[-+]?0b[01_]+$/;
const INT_SEXA = /^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$/;
// goyaml.v2 float (also `1e3`), PyYAML float (needs a dot), specials
const FLOAT = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/;
const FLOAT_SPECIAL = /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)/;
/** Helm prints numbers with 7+ integer digits in exponent form (`%v` of a float64). */
const LONG_DIGITS = 7;

/** The YAML 1.1 reading of a plain scalar, or undefined when every reader keeps it as the same string. */
export function yaml11Reading(raw: string): Yaml11Reading | undefined {
  if (raw === '') return undefined;
  if (BOOL.test(raw)) return { type: 'bool', pythonKeepsText: false, explanation: 'YAML 1.1 readers (CAPO, Helm, PyYAML) read it as a boolean, not as text' };
  if (NULL.test(raw)) return { type: 'null', pythonKeepsText: false, explanation: 'YAML readers read it as null (no value), not as text' };
  const digits = raw.replace(/^[-+]/, '');
  if (INT_HEX.test(raw) || INT_BIN.test(raw) || (INT_OCT.test(raw) && digits !== '0')) {
    return { type: 'int', pythonKeepsText: false, explanation: 'YAML 1.1 readers read it as a (hexadecimal, binary or octal) number, not as text' };
  }
  if (INT_OCT_BAD.test(raw) && digits !== '0') {
    return { type: 'int', pythonKeepsText: false, explanation: 'it has a leading zero: YAML 1.1 readers try to read it as an octal number and disagree with each other' };
  }
  if (INT_DEC.test(raw)) {
    if (raw.includes('_')) return { type: 'int', pythonKeepsText: false, explanation: 'YAML 1.1 readers drop the underscores and read a number' };
    if (raw.startsWith('+')) return { type: 'int', pythonKeepsText: false, explanation: 'YAML 1.1 readers read it as a number and drop the "+"' };
    if (digits.length >= LONG_DIGITS) {
      return { type: 'int', pythonKeepsText: true, explanation: `it is a long number: Helm (csp-helper) prints it in exponent form (e.g. 1.234567e+06)${BigInt(raw) > 9223372036854775807n ? ' and CAPO reads it as a rounded floating-point number' : ''}` };
    }
    return undefined;
  }
  if (INT_SEXA.test(raw)) return { type: 'int', pythonKeepsText: false, explanation: 'YAML 1.1 readers read it as a base-60 number' };
  if (FLOAT.test(raw) || FLOAT_SPECIAL.test(raw)) {
    return { type: 'float', pythonKeepsText: false, explanation: 'YAML 1.1 readers read it as a floating-point number, not as text' };
  }
  if (TIMESTAMP.test(raw)) return { type: 'timestamp', pythonKeepsText: false, explanation: 'YAML 1.1 readers read it as a date/time, not as text' };
  return undefined;
}
