/**
 * The ClusterClass variable validator (src/core/ops/validate.ts) against an independent oracle: Debian's
 * python3-jsonschema (Draft 7) validating the same values with the same generated JSON Schema. Schemas
 * come from the fixture ClusterClasses and from a fast-check generator of Cluster API variable schemas
 * (every keyword the ClusterClass API allows), values from a generator that aims at their edges. Both
 * sides must agree on every error: the value's path, the keyword, and the field for required /
 * additionalProperties. Python also checks that each generated schema is a valid draft-07 schema.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { toJsonSchema, variablesArraySchema, type JsonSchema } from '../../src/core/ops/jsonSchema';
import { validateJson } from '../../src/core/ops/validate';
import { classVariables, type CapiSchema } from '../../src/core/ops/variables';
import { runPythonOracle } from './pythonOracle';

type Case = { readonly schema: JsonSchema; readonly value: unknown };
type OracleResult = { schemaOk: boolean; schemaError?: string; errors: [(string | number)[], string, string | null][] };

function pythonJsonSchema(cases: readonly Case[]): OracleResult[] {
  return runPythonOracle<OracleResult[]>('jsonschema_oracle.py', { cases }, 'python3-jsonschema');
}

const key = (t: readonly unknown[]): string => JSON.stringify(t);
const ours = (c: Case): string[] =>
  [...new Set(validateJson(c.schema, c.value).map((m) => key([m.path, m.keyword, m.property ?? null])))].sort();
const theirs = (r: OracleResult): string[] => [...new Set(r.errors.map(key))].sort();

// ---- generators ---------------------------------------------------------------------------------

/** Patterns that mean the same in ECMAScript (u), Python re and Go RE2. */
const PATTERNS = ['^[a-z]+$', '^[A-Z][a-z0-9-]*$', 'abc', '^SCS-[0-9]+V-[0-9]+', '^[0-9]{1,3}$', '^(a|b)+$', '-ovn$', '^[^ ]*$'];
const FORMATS = ['uuid', 'uuid3', 'uuid4', 'uuid5', 'ipv4', 'ipv6', 'cidr', 'hostname'];
const KEYS = ['name', 'size', 'type', 'enabled', 'cidr', 'x-y', 'a.b'];

const optional = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });
const small = fc.integer({ min: -5, max: 60 });

function compact(o: Record<string, unknown>): CapiSchema {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const stringSchema = fc
  .record({
    minLength: optional(fc.integer({ min: 0, max: 6 })),
    maxLength: optional(fc.integer({ min: 0, max: 12 })),
    pattern: optional(fc.constantFrom(...PATTERNS)),
    format: optional(fc.constantFrom(...FORMATS)),
    enum: optional(fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 4 })),
    default: optional(fc.string({ maxLength: 5 })),
    description: optional(fc.lorem({ maxCount: 6 })),
  })
  .map((r) => compact({ type: 'string', ...r }));

const numberSchema = fc
  .record({
    type: fc.constantFrom('integer', 'number'),
    minimum: optional(small),
    maximum: optional(small),
    exclusiveMinimum: optional(fc.boolean()),
    exclusiveMaximum: optional(fc.boolean()),
    enum: optional(fc.array(small, { minLength: 1, maxLength: 4 })),
  })
  .map((r) => compact(r));

const leaf: fc.Arbitrary<CapiSchema> = fc.oneof(
  stringSchema,
  numberSchema,
  fc.record({ type: fc.constant('boolean'), enum: optional(fc.constant([true])) }).map(compact),
  fc.constant<CapiSchema>({ 'x-kubernetes-int-or-string': true }),
  fc.constant<CapiSchema>({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }),
);

/** Constraint-only subschemas, as Cluster API allows inside allOf/oneOf/anyOf/not. */
const constraint: fc.Arbitrary<CapiSchema> = fc.oneof(
  fc.record({ minimum: small }),
  fc.record({ maximum: small }),
  fc.record({ minLength: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ pattern: fc.constantFrom(...PATTERNS) }),
  fc.record({ required: fc.subarray(KEYS, { minLength: 1, maxLength: 2 }) }),
  fc.record({ enum: fc.array(fc.oneof(small, fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 3 }) }),
);

const { schema: capiSchema } = fc.letrec<{ schema: CapiSchema; node: CapiSchema }>((tie) => ({
  schema: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('node')),
  node: fc.oneof(
    fc
      .record({
        items: tie('schema'),
        minItems: optional(fc.integer({ min: 0, max: 3 })),
        maxItems: optional(fc.integer({ min: 0, max: 4 })),
        uniqueItems: optional(fc.boolean()),
      })
      .map((r) => compact({ type: 'array', ...r })),
    fc
      .record({
        properties: fc.dictionary(fc.constantFrom(...KEYS), tie('schema'), { maxKeys: 4 }),
        preserve: fc.boolean(),
        requiredPick: fc.array(fc.nat(), { maxLength: 3 }),
        minProperties: optional(fc.integer({ min: 0, max: 3 })),
        maxProperties: optional(fc.integer({ min: 0, max: 4 })),
      })
      .map(({ properties, preserve, requiredPick, minProperties, maxProperties }) => {
        const names = Object.keys(properties);
        const required = [...new Set(requiredPick.map((i) => names[i % Math.max(1, names.length)]).filter(Boolean))];
        return compact({
          type: 'object',
          properties,
          required: required.length ? required : undefined,
          'x-kubernetes-preserve-unknown-fields': preserve ? true : undefined,
          minProperties,
          maxProperties,
        });
      }),
    tie('schema').map((s) => ({ type: 'object', additionalProperties: s })),
    fc
      .record({
        base: fc.oneof(
          stringSchema,
          numberSchema,
          fc.constant<CapiSchema>({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }),
        ),
        kind: fc.constantFrom('allOf', 'anyOf', 'oneOf', 'not'),
        subs: fc.array(constraint, { minLength: 1, maxLength: 3 }),
      })
      .map(({ base, kind, subs }) => ({ ...base, [kind]: kind === 'not' ? subs[0] : subs })),
  ),
}));

const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => u.slice(1)),
  fc.uuid().map((u) => `{${u}}`),
  fc.uuid().map((u) => `${u.slice(0, 14)}4${u.slice(15)}`),
);
const ipLike = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4().map((a) => `::ffff:${a}`),
  fc.constantFrom('1.2.3', '256.1.1.1', '::', '1::2::3', 'fe80::1%eth0', 'a.b.c.d'),
);
const cidrLike = fc.oneof(
  fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 140 })).map(([a, n]) => `${a}/${n}`),
  fc.ipV4(),
  fc.constantFrom('10.0.0.0/', '10.0.0.0/8/9', '10.0.0.0/255.255.0.0', '/24', '10.0.0.0/+8'),
);

function stringValue(s: CapiSchema): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [fc.string({ maxLength: 14 }), fc.string({ maxLength: 8, unit: 'grapheme' })];
  if (typeof s.pattern === 'string') options.push(fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length < 40));
  if (Array.isArray(s.enum)) options.push(fc.constantFrom(...(s.enum as string[])));
  if (typeof s.format === 'string') options.push(s.format.startsWith('uuid') ? uuidLike : s.format === 'cidr' ? cidrLike : ipLike);
  return fc.oneof(...options);
}

function valueFor(s: CapiSchema, depth = 0): fc.Arbitrary<unknown> {
  const near = ((): fc.Arbitrary<unknown> => {
    if (s['x-kubernetes-int-or-string'] === true)
      return fc.oneof(small, fc.string({ maxLength: 4 }), fc.boolean(), fc.double({ min: -3, max: 3, noNaN: true }));
    switch (s.type) {
      case 'string':
        return stringValue(s);
      case 'integer':
      case 'number':
        return fc.oneof(
          small,
          fc.double({ min: -10, max: 70, noNaN: true }),
          ...(Array.isArray(s.enum) ? [fc.constantFrom(...(s.enum as number[]))] : []),
        );
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const item = valueFor(s.items as CapiSchema, depth + 1);
        return fc.oneof(
          fc.array(item, { maxLength: 5 }),
          fc.array(item, { minLength: 1, maxLength: 3 }).map((a) => [...a, a[0]]),
        );
      }
      case 'object': {
        if (s.additionalProperties)
          return fc.dictionary(fc.string({ maxLength: 4 }), valueFor(s.additionalProperties as CapiSchema, depth + 1), { maxKeys: 3 });
        const props = (s.properties ?? {}) as Record<string, CapiSchema>;
        const entries = Object.entries(props).map(([k, p]) => [k, optional(valueFor(p, depth + 1))] as const);
        return fc
          .tuple(
            fc.record(Object.fromEntries(entries)),
            fc.dictionary(fc.constantFrom('extra', 'name', 'size', 'zz'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
            fc.boolean(),
          )
          .map(([known, extra, withExtra]) => {
            const o: Record<string, unknown> = Object.fromEntries(Object.entries(known).filter(([, v]) => v !== undefined));
            return withExtra ? { ...extra, ...o } : o;
          });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return depth > 3 ? near : fc.oneof({ weight: 5, arbitrary: near }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
}

// ---- the test -----------------------------------------------------------------------------------

const FIXTURES = path.resolve(__dirname, '../fixtures/clusterclass');
const classes = fs.readdirSync(FIXTURES).map((f) => classVariables(yaml.load(fs.readFileSync(path.join(FIXTURES, f), 'utf8'))));
const SEED = Number(process.env.FC_SEED ?? 20260611);

function compare(cases: Case[], label: string): { invalid: number; keywords: Set<string> } {
  const results = pythonJsonSchema(cases);
  assert.equal(results.length, cases.length);
  const keywords = new Set<string>();
  let invalid = 0;
  cases.forEach((c, i) => {
    const r = results[i];
    assert.ok(
      r.schemaOk,
      `${label} case ${i}: python3-jsonschema rejects the generated schema: ${r.schemaError}\n${JSON.stringify(c.schema)}`,
    );
    const a = ours(c);
    const b = theirs(r);
    assert.deepEqual(
      a,
      b,
      `${label} case ${i} (seed ${SEED}) disagrees\nschema: ${JSON.stringify(c.schema)}\nvalue: ${JSON.stringify(c.value)}`,
    );
    if (a.length) invalid++;
    for (const e of r.errors) keywords.add(e[1]);
  });
  return { invalid, keywords };
}

describe('conformance: variable validator vs python3-jsonschema (Draft 7)', function () {
  this.timeout(300_000);

  it('the fixture ClusterClasses: every variable schema with 60 generated values each', () => {
    const cases: Case[] = [];
    for (const cls of classes)
      for (const d of cls.definitions) {
        const schema = toJsonSchema(d.schema);
        for (const value of fc.sample(valueFor(d.schema), { numRuns: 60, seed: SEED })) cases.push({ schema, value });
      }
    const { invalid, keywords } = compare(cases, 'fixture');
    console.log(
      `      ${cases.length} values over ${classes.reduce((n, c) => n + c.definitions.length, 0)} variables; ${invalid} invalid; keywords: ${[...keywords].sort().join(', ')}`,
    );
    assert.ok(invalid > cases.length / 10 && invalid < cases.length, 'the values cover valid and invalid ones');
  });

  it('whole topology.variables lists of the fixture classes (names, required, per-name value schemas)', () => {
    const cases: Case[] = [];
    for (const cls of classes) {
      const schema = variablesArraySchema(cls);
      const item = fc.oneof(
        ...cls.definitions.map((d) => fc.record({ name: fc.constant(d.name), value: valueFor(d.schema) })),
        fc.record({ name: fc.string({ maxLength: 6 }), value: fc.jsonValue({ maxDepth: 1 }) }),
        fc.record({ name: fc.constantFrom(...cls.definitions.map((d) => d.name)) }),
      );
      for (const value of fc.sample(fc.array(item, { maxLength: 5 }), { numRuns: 150, seed: SEED })) cases.push({ schema, value });
    }
    const { invalid } = compare(cases, 'list');
    console.log(`      ${cases.length} lists; ${invalid} invalid`);
    assert.ok(invalid > 0 && invalid < cases.length);
  });

  it('generated Cluster API variable schemas (objects, maps, arrays, combinators, formats, int-or-string) with generated values', () => {
    const pairs = fc.sample(
      capiSchema.chain((s) => fc.array(valueFor(s), { minLength: 4, maxLength: 4 }).map((values) => ({ s, values }))),
      { numRuns: 1200, seed: SEED },
    );
    const cases = pairs.flatMap(({ s, values }) => values.map((value) => ({ schema: toJsonSchema(s), value })));
    const { invalid, keywords } = compare(cases, 'generated');
    console.log(
      `      ${cases.length} values over ${pairs.length} schemas; ${invalid} invalid; keywords: ${[...keywords].sort().join(', ')}`,
    );
    for (const k of [
      'type',
      'enum',
      'required',
      'additionalProperties',
      'minimum',
      'exclusiveMaximum',
      'pattern',
      'format',
      'minItems',
      'uniqueItems',
      'anyOf',
      'oneOf',
      'not',
      'maxLength',
      'minProperties',
    ])
      assert.ok(keywords.has(k), `the generated cases exercise ${k}`);
  });
});
