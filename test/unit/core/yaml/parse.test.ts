import * as assert from 'node:assert/strict';
import { getPair, mapEntries, parseYaml, type YMap, type YNode } from '../../../../src/core/yaml/parse';
import { yaml11Reading } from '../../../../src/core/yaml/yaml11';

const at = (n: YNode | undefined) => n && [n.range.start.line, n.range.start.character, n.range.end.line, n.range.end.character];

describe('positioned YAML (js-yaml listener)', () => {
  const text =
    '# comment\nclouds:\n  prod: &base\n    auth:\n      auth_url: "https://k:5000/v3"   # trailing\n      password: \'p w\'\n      empty:\n      block: |\n        line\n    list: [a, {name: b}]\n  copy:\n    <<: *base\n    region_name: R\n';
  const doc = parseYaml(text);
  const root = doc.root as YMap;
  const clouds = getPair(root, 'clouds')?.value as YMap;
  const prod = getPair(clouds, 'prod')?.value as YMap;
  const auth = getPair(prod, 'auth')?.value as YMap;

  it('gives key and value ranges and the scalar style', () => {
    assert.deepEqual(doc.findings, []);
    const url = getPair(auth, 'auth_url');
    assert.deepEqual(at(url?.key), [4, 6, 4, 14]);
    assert.deepEqual(at(url?.value), [4, 16, 4, 35]);
    assert.equal(url?.value?.kind === 'scalar' && url.value.style, 'double');
    assert.equal(
      getPair(auth, 'password')?.value?.kind === 'scalar' && (getPair(auth, 'password')?.value as { style: string }).style,
      'single',
    );
    const block = getPair(auth, 'block')?.value;
    assert.equal(block?.kind === 'scalar' && block.style, 'literal');
    assert.equal(block?.kind === 'scalar' && block.value, 'line\n');
  });

  it('an empty value is a zero-width null scalar right after its colon', () => {
    const empty = getPair(auth, 'empty')?.value;
    assert.equal(empty?.kind, 'scalar');
    assert.equal(empty?.kind === 'scalar' && empty.value, null);
    assert.deepEqual(at(empty), [6, 12, 6, 12]);
  });

  it('flow collections and anchors/aliases/merge keys', () => {
    const list = getPair(prod, 'list')?.value;
    assert.equal(list?.kind === 'seq' && list.flow, true);
    assert.deepEqual(at(list?.kind === 'seq' ? list.items[1] : undefined), [9, 14, 9, 23]);
    const copy = getPair(clouds, 'copy')?.value as YMap;
    assert.deepEqual(
      mapEntries(copy).map((p) => p.keyText),
      ['auth', 'list', 'region_name'],
    );
    assert.equal(getPair(copy, 'auth')?.value, getPair(prod, 'auth')?.value);
  });

  it('parse errors are located findings', () => {
    const bad = parseYaml('clouds:\n  a: "unterminated\n');
    assert.equal(bad.findings[0].code, 'CS001');
    assert.equal(bad.findings[0].severity, 'error');
    assert.match(bad.findings[0].message, /YAML syntax error/);
    const dup = parseYaml('clouds:\n  a: 1\n  a: 2\n');
    assert.equal(dup.findings[0].range.start.line, 2);
  });

  it('a huge flat document stays bounded (node limit)', () => {
    const many = parseYaml('[' + '1,'.repeat(450_000) + '1]');
    assert.equal(many.findings[0]?.code, 'CS002');
  });
});

describe('YAML 1.1 readings of plain scalars', () => {
  it('flags what CAPO/Helm/PyYAML read as non-text', () => {
    for (const raw of ['yes', 'No', 'on', 'OFF', 'y', 'n', 'true']) assert.equal(yaml11Reading(raw)?.type, 'bool', raw);
    for (const raw of ['012345', '0x1F', '0b101', '1_000', '+5', '1:20']) assert.equal(yaml11Reading(raw)?.type, 'int', raw);
    for (const raw of ['1e3', '1.50', '.5', '.inf', '.NaN', '+.0']) assert.equal(yaml11Reading(raw)?.type, 'float', raw);
    assert.equal(yaml11Reading('2001-12-14')?.type, 'timestamp');
    assert.equal(yaml11Reading('~')?.type, 'null');
  });

  it('Go-only readings (Python keeps the text) are told apart from readings Python changes too', () => {
    for (const raw of ['1234567', '1e3', 'y', 'N', '095486', '0_9', '2024-1-5', '12345678901234567890123', '1.0', '+.0', '4.1e-78'])
      assert.equal(yaml11Reading(raw)?.pythonKeepsText, true, raw);
    for (const raw of ['012345', 'yes', '0x1F', '1_000', '+5', '1.50', '2024-01-05', '-0', '1.0e+5', '0.00001'])
      assert.equal(yaml11Reading(raw)?.pythonKeepsText, false, raw);
  });

  it('texts every reader keeps pass silently', () => {
    for (const raw of ['12345', '-5', '0', '276.9', '-73.67', 'RegionOne', 'abc123', 'yes-please', '1.2.3', 'v3', '8415-36-6'])
      assert.equal(yaml11Reading(raw), undefined, raw);
  });
});
