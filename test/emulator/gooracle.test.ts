// Go itself as the oracle for the emulator's imitations of Go: test/emulator/go-oracle/main.go (standard
// library only, built once with the Debian golang-go toolchain into ~/.cache) answers random cases, and the
// emulator's functions must answer the same: strconv.Quote (every quoted value in a 422), strconv.ParseInt
// (query parameter errors), encoding/base64 (Secret data errors), fmt %v of a float64 (schema bounds), and
// encoding/json's syntax and type errors for a ConfigMap (the 400s of the decoder).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { goFloat, goQuote } from './fielderrors';
import { JsonSyntaxError, parseJson } from './gojson';
import { parseInt64 } from './params';
import { ApiError } from './status';
import { base64Error, decodeTyped, modelFor, REF_PREFIX } from './schema';

const SOURCE = path.join(__dirname, 'go-oracle', 'main.go');

function oraclePath(): string {
  const src = fs.readFileSync(SOURCE);
  const dir = path.join(
    os.homedir(),
    '.cache',
    'cluster-stacks',
    'emulator-go-oracle',
    createHash('sha256').update(src).digest('hex').slice(0, 16),
  );
  const bin = path.join(dir, 'oracle');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), 'build-'));
  try {
    fs.copyFileSync(SOURCE, path.join(tmp, 'main.go'));
    const r = spawnSync('go', ['build', '-o', path.join(tmp, 'oracle'), 'main.go'], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, GO111MODULE: 'off', GOCACHE: path.join(tmp, 'cache'), GOPATH: tmp },
      timeout: 120_000,
    });
    if (r.error || r.status !== 0)
      throw new Error(`go build of the Go oracle failed (install golang-go, scripts/system-deps.sh): ${r.error?.message ?? r.stderr}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(path.join(tmp, 'oracle'), bin);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

type Case = { op: 'quote' | 'parseInt' | 'base64' | 'json'; s: string } | { op: 'float'; f: number };

function ask(cases: Case[]): string[] {
  const r = spawnSync(oraclePath(), [], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`Go oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const sample = <T>(arb: fc.Arbitrary<T>, n: number, seed: number) => fc.sample(arb, { numRuns: n, seed });

function compare(cases: Case[], ours: (c: Case) => string): void {
  const go = ask(cases);
  const diffs = cases.map((c, i) => ({ c, go: go[i], ours: ours(c) })).filter((d) => d.go !== d.ours);
  assert.deepEqual(diffs.slice(0, 5), [], `${diffs.length} of ${cases.length} differ from Go`);
}

describe('emulator imitations of Go, against Go', function () {
  this.timeout(180_000);

  it('strconv.Quote', () => {
    // Blocks whose assignments predate the Unicode 13 of this Go 1.19: Node's tables are newer (as is the Go
    // 1.23 of kube-apiserver 1.32), so code points assigned since are printable here and escaped by the oracle.
    const stable: [number, number][] = [
      [0x0, 0x24f],
      [0x370, 0x377],
      [0x378, 0x379], // never assigned
      [0x400, 0x52f],
      [0x2000, 0x206f],
      [0x4e00, 0x9fa5],
      [0xac00, 0xd7a3],
      [0xd800, 0xdfff], // lone surrogates
      [0xe000, 0xe0ff], // private use
      [0xfeff, 0xfeff],
      [0x1f600, 0x1f64f],
    ];
    const codePoint = fc.constantFrom(...stable).chain(([lo, hi]) => fc.integer({ min: lo, max: hi }));
    const strings = sample(fc.array(codePoint, { maxLength: 10 }), 600, 1).map((cps) => cps.map((c) => String.fromCodePoint(c)).join(''));
    compare(
      strings.map((s) => ({ op: 'quote', s })),
      (c) => goQuote((c as { s: string }).s),
    );
  });

  it('strconv.ParseInt(s, 10, 64) errors', () => {
    const strings = [
      ...sample(fc.string({ unit: fc.constantFrom('0', '1', '9', '+', '-', '.', 'e', 'x', ' ', '_'), maxLength: 6 }), 300, 3),
      ...sample(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), 200, 4).map(String),
      '9223372036854775807',
      '9223372036854775808',
      '-9223372036854775808',
      '-9223372036854775809',
      '',
    ];
    compare(
      strings.map((s) => ({ op: 'parseInt', s })),
      (c) => {
        try {
          parseInt64((c as { s: string }).s);
          return '';
        } catch (e) {
          return (e as ApiError).status.message ?? '';
        }
      },
    );
  });

  it('encoding/base64 StdEncoding.DecodeString errors', () => {
    const valid = sample(fc.uint8Array({ maxLength: 10 }), 200, 5).map((b) => Buffer.from(b).toString('base64'));
    const noisy = sample(
      fc.string({ unit: fc.constantFrom('A', 'b', '+', '/', '=', '\n', '\r', '-', '_', '!', 'é'), maxLength: 10 }),
      400,
      6,
    );
    const mutated = valid.map((v, i) => v.slice(0, i % (v.length + 1)) + ['=', '\n', '!', 'A'][i % 4] + v.slice(i % (v.length + 1)));
    compare(
      [...valid, ...noisy, ...mutated].map((s) => ({ op: 'base64', s })),
      (c) => {
        const at = base64Error((c as { s: string }).s);
        return at === undefined ? '' : `illegal base64 data at input byte ${at}`;
      },
    );
  });

  it('fmt %v of a float64', () => {
    const floats = [
      ...sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 400, 7),
      0,
      1,
      1e6,
      123456,
      1234567,
      0.0001,
      0.00001,
      1e21,
      -2.5,
    ];
    compare(
      floats.map((f) => ({ op: 'float', f })),
      (c) => goFloat((c as { f: number }).f),
    );
  });

  it('encoding/json syntax errors and type errors decoding a ConfigMap', () => {
    const model = modelFor('', 'v1', 'ConfigMap');
    assert.ok(model);
    const value = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 2 }), fc.oneof(fc.string({ maxLength: 2 }), fc.integer()), { maxKeys: 2 }),
    );
    const metadata = fc.record(
      { name: value, generation: value, deletionGracePeriodSeconds: value, labels: value, annotations: value, finalizers: value },
      { requiredKeys: [] },
    );
    const configMap = fc.record({ apiVersion: value, metadata, data: value, binaryData: value, immutable: value }, { requiredKeys: [] });
    const documents = sample(configMap, 400, 8).map((o) => JSON.stringify(o));
    // Broken copies: cut short, or one character replaced, at a position derived from the index.
    const broken = documents.flatMap((d, i) => {
      const at = (i * 7919) % (d.length + 1);
      return [d.slice(0, at), d.slice(0, at) + ['}', ',', ':', 'x', ']', '"', 'é', ' '][i % 8] + d.slice(at + 1)];
    });
    compare(
      [...documents, ...broken, '', ' ', '{}', '[]', 'nul', '1e', '"\\x"', '{"a":1}x'].map((s) => ({ op: 'json', s })),
      (c) => {
        try {
          const { node, duplicates } = parseJson((c as { s: string }).s);
          // encoding/json reports the root kind against the struct type; the emulator's decoder only sees objects.
          if (node.k !== 'obj' && node.k !== 'null')
            return `json: cannot unmarshal ${{ arr: 'array', str: 'string', num: 'number', bool: 'bool' }[node.k]} into Go value of type main.ConfigMap`;
          return decodeTyped(node, duplicates, { $ref: `${REF_PREFIX}${model.name}` }).fatal ?? '';
        } catch (e) {
          if (e instanceof JsonSyntaxError) return e.message;
          throw e;
        }
      },
    );
  });
});
