/**
 * How YAML 1.1 readers resolve a plain scalar that this project's YAML 1.2 parser takes as text:
 * PyYAML (openstacksdk, the converter's policy reader) and goyaml.v2 behind sigs.k8s.io/yaml (CAPO,
 * CSPO) and Helm (csp-helper), domain.md §6.5. `012345` and `yes` look like harmless strings here
 * while those readers turn them into numbers and booleans.
 *
 * PyYAML: resolver.py implicit resolvers (bool without y/n, ints incl. octal/hex/binary/base 60,
 * floats need a dot, dates need two-digit month and day), then openstacksdk's `str()`.
 * goyaml.v2: resolve.go (bool incl. y/n, `strconv.ParseInt(s, 0, 64)` after dropping `_`, its float
 * regex, timestamps via time.Parse "2006-1-2…"), then sigs.k8s.io/yaml prints ints in decimal and
 * floats with FormatFloat(f, 'g', -1, 32); Helm prints every number as a float64 with `%v`.
 */

export interface Yaml11Reading {
  /** What the readers see instead of the text. */
  readonly type: 'bool' | 'int' | 'float' | 'null' | 'timestamp';
  /** True when PyYAML + openstacksdk (the converter's policy) yield exactly the raw text; only Go readers differ. */
  readonly pythonKeepsText: boolean;
  /** Human explanation, without the value itself. */
  readonly explanation: string;
}

const PY_BOOL = /^(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const GO_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const NULL = /^(~|null|Null|NULL)$/;
const PY_INT = /^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$/;
const PY_FLOAT =
  /^([-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9_]+([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const PY_DATE =
  /^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_DATE = /^[0-9]{4}-(0?[1-9]|1[0-2])-(0?[1-9]|[12][0-9]|3[01])([Tt ]|$)/;
/** Helm prints numbers with 7+ integer digits in exponent form (`%v` of a float64). */
const LONG_DIGITS = 7;
const INT64_MAX = 9223372036854775807n;

/** The YAML 1.1 reading of a plain scalar, or undefined when every reader keeps exactly this text. */
export function yaml11Reading(raw: string): Yaml11Reading | undefined {
  if (raw === '') return undefined;
  if (NULL.test(raw)) return { type: 'null', pythonKeepsText: false, explanation: 'YAML readers read it as null (no value), not as text' };
  if (GO_BOOL.test(raw)) {
    const py = PY_BOOL.test(raw);
    return {
      type: 'bool',
      pythonKeepsText: !py,
      explanation: py
        ? 'YAML 1.1 readers (CAPO, Helm, PyYAML) read it as a boolean, not as text'
        : 'Go readers (CAPO, Helm) read it as a boolean, not as text',
    };
  }
  const py = pythonAlters(raw);
  const go = goAlters(raw);
  if (!py && !go) return undefined;
  const type = py?.type ?? go?.type ?? 'int';
  const explanation = py ? py.why : (go as Altered).why;
  return { type, pythonKeepsText: !py, explanation };
}

interface Altered {
  readonly type: Yaml11Reading['type'];
  readonly why: string;
}

function pythonAlters(raw: string): Altered | undefined {
  if (PY_DATE.test(raw)) return { type: 'timestamp', why: 'YAML 1.1 readers read it as a date, not as text' };
  if (PY_INT.test(raw)) {
    if (/^-?(0|[1-9][0-9]*)$/.test(raw) && raw !== '-0') return undefined; // str(int) is the same text
    return {
      type: 'int',
      why: raw.includes('_')
        ? 'YAML 1.1 readers drop the underscores and read a number'
        : 'YAML 1.1 readers read it as a (signed, octal, hexadecimal, binary or base-60) number, not as this text',
    };
  }
  if (PY_FLOAT.test(raw)) {
    if (pythonFloatKeeps(raw)) return undefined;
    return { type: 'float', why: 'YAML 1.1 readers read it as a floating-point number, not as this text' };
  }
  return undefined;
}

/** Python's `str(float(raw)) == raw`: PyYAML's float text survives openstacksdk's `str()` unchanged. */
function pythonFloatKeeps(raw: string): boolean {
  return pythonFloatRepr(Number(raw)) === raw;
}

/**
 * Python 3's `repr(float)`: the shortest round-trip digits (as JS's `toExponential()` gives them),
 * written in fixed notation for decimal exponents -4..15 (with `.0` for whole numbers) and as
 * `d.ddde±XX` otherwise.
 */
function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const whole = exp + 1;
    return digits.length <= whole ? `${sign}${digits.padEnd(whole, '0')}.0` : `${sign}${digits.slice(0, whole)}.${digits.slice(whole)}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function goAlters(raw: string): Altered | undefined {
  if (GO_DATE.test(raw)) return { type: 'timestamp', why: 'Go readers (CAPO) read it as a date, not as text' };
  if (!/^[-+.0-9]/.test(raw)) return undefined;
  const plain = raw.replace(/_/g, '');
  const int = goParseInt(plain);
  if (int !== undefined) {
    if (int.toString() !== raw) return { type: 'int', why: 'Go readers (CAPO, Helm) read it as a number, not as this text' };
    if (plain.replace(/^-/, '').length >= LONG_DIGITS) {
      return { type: 'int', why: 'it is a long number: Helm (csp-helper) prints it in exponent form (e.g. 1.234567e+06)' };
    }
    return undefined;
  }
  if (GO_FLOAT.test(plain)) {
    return goFloatText(Number(plain)) === raw
      ? undefined
      : { type: 'float', why: 'Go readers (CAPO, Helm) read it as a floating-point number, not as this text' };
  }
  return undefined;
}

/** strconv.ParseInt(s, 0, 64) (then ParseUint): sign, 0x/0o/0b prefixes, leading-0 octal. */
function goParseInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2];
  let v: bigint;
  if (/^0[0-7]+$/.test(body)) v = BigInt('0o' + body.slice(1));
  else v = BigInt(body.toLowerCase());
  if (m[1] === '-') v = -v;
  return v > 2n * INT64_MAX + 1n || v < -INT64_MAX - 1n ? undefined : v;
}

/** strconv.FormatFloat(f, 'g', -1, 32): the shortest float32 digits; exponent form from 1e6 and below 1e-4 (`eprec = 6` when shortest). */
function goFloatText(f: number): string {
  if (!Number.isFinite(f)) return String(f);
  const f32 = Math.fround(f);
  if (f32 === 0) return Object.is(f32, -0) ? '-0' : '0';
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = f32.toPrecision(p);
    if (Math.fround(Number(digits)) === f32) break;
  }
  const exp = Math.floor(Math.log10(Math.abs(Number(digits))));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = Number(digits).toExponential().split('e');
    const ev = Number(e);
    return `${mant}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  return String(Number(digits));
}
