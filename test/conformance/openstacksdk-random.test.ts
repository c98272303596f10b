/**
 * Random credentials end to end: a clouds.yaml whose password / project name are random Unicode
 * (written as YAML double-quoted scalars), read by this project's parser and converter, by
 * openstacksdk (PyYAML) and — through the produced cloud.conf — by the real gcfg. All three must see
 * the very same text, or the converter must refuse the value (CS180) exactly when gcfg cannot carry it.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { convertCloud } from '../../src/core/clouds';
import { unrepresentable } from '../../src/core/gcfg/encode';
import { gcfgParseMany } from './gcfg';
import { openstacksdkResolve } from './openstacksdk';

const SEED = Number(process.env.CS_SEED ?? Date.now() % 2 ** 31);
const RUNS = 300;

/** Code points that stress YAML and gcfg: quotes, backslash, comment chars, blanks, controls, non-BMP. */
const unit = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ' ',
      '"',
      "'",
      '\\',
      ';',
      '#',
      '=',
      '[',
      ']',
      ':',
      '{',
      '}',
      '\t',
      '\n',
      '\r',
      '\0',
      '\u0001',
      '%',
      '&',
      '*',
      '!',
      '|',
      '>',
      '-',
    ),
  },
  { weight: 4, arbitrary: fc.constantFrom('a', 'Z', '0', '9', 'ü', '€', '丁', 'я', '😀', '𝄞') },
  { weight: 2, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }).map((c) => String.fromCharCode(c)) },
);

/** YAML double-quoted scalar: JSON's escapes are YAML escapes; line separators are escaped too (YAML 1.1 folds them). */
function yamlQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

describe(`random credentials through the converter, openstacksdk and gcfg (seed ${SEED})`, function () {
  it(`${RUNS} random passwords and project names: every reader sees the same text, or CS180 refuses exactly the unrepresentable`, async () => {
    const values = fc.sample(fc.tuple(fc.string({ unit, minLength: 1, maxLength: 20 }), fc.string({ unit, minLength: 1, maxLength: 12 })), {
      numRuns: RUNS,
      seed: SEED,
    });
    const cases = values.map(([password, project], i) => ({
      name: `r${i}`,
      cloud: 'c',
      clouds: `clouds:\n  c:\n    auth:\n      auth_url: "https://k.example:5000/v3"\n      username: "u"\n      user_domain_name: "Default"\n      project_name: ${yamlQuoted(project)}\n      project_domain_name: "Default"\n    region_name: "R"\n`,
      secure: `clouds:\n  c:\n    auth:\n      password: ${yamlQuoted(password)}\n`,
    }));
    const results = cases.map((c) =>
      convertCloud({ clouds: { path: '/p/clouds.yaml', text: c.clouds }, secure: { path: '/p/secure.yaml', text: c.secure } }, 'c', {
        lb: 'none',
      }),
    );
    let refused = 0;
    const accepted: number[] = [];
    results.forEach((r, i) => {
      const [password, project] = values[i];
      const mustRefuse = unrepresentable(password) !== undefined || unrepresentable(project) !== undefined;
      if (mustRefuse) {
        assert.equal(r.ok, false, `case ${i} should be refused`);
        assert.ok(!r.ok && [...r.findings.values()].flat().some((f) => f.code === 'CS180'));
        refused++;
      } else {
        assert.equal(r.ok, true, `case ${i}: ${!r.ok ? JSON.stringify([...r.findings.values()].flat().map((f) => f.message)) : ''}`);
        accepted.push(i);
      }
    });
    const texts = accepted.map((i) => {
      const r = results[i];
      return r.ok ? r.text : '';
    });
    const gcfg = await gcfgParseMany(texts);
    const sdk = openstacksdkResolve(accepted.map((i) => cases[i]));
    let sdkLoaded = 0;
    accepted.forEach((i, k) => {
      const [password, project] = values[i];
      assert.equal(gcfg[k].ok, true, gcfg[k].error);
      assert.equal(gcfg[k].global.password, password, `gcfg password, case ${i}`);
      assert.equal(gcfg[k].global['tenant-name'], project, `gcfg tenant-name, case ${i}`);
      const o = sdk[k];
      assert.equal(o.ok, true, `openstacksdk could not read case ${i}: ${o.error}`);
      sdkLoaded++;
      assert.equal(o.auth?.password, password, `openstacksdk password, case ${i}`);
      assert.equal(o.auth?.project_name, project, `openstacksdk project_name, case ${i}`);
    });
    console.log(
      `      ${RUNS} random credential pairs: ${refused} refused (CS180), ${accepted.length} converted; gcfg and openstacksdk read all ${sdkLoaded} back exactly`,
    );
  });
});
