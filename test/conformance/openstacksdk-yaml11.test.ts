/**
 * The YAML 1.1 hazard rule (CS130) against the real PyYAML: random unquoted tokens made of digits,
 * signs, dots, underscores, colons and bool-ish letters go into a clouds.yaml as plain scalars. When the
 * rule stays silent, openstacksdk must read exactly the text written (no under-flagging); when it warns
 * that only Go readers change it, Python must keep it; when it reports an error, PyYAML must change it
 * too and the converter refuses.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeClouds, convertCloud } from '../../src/core/clouds';
import { yaml11Reading } from '../../src/core/yaml/yaml11';
import { openstacksdkResolve } from './openstacksdk';

const SEED = Number(process.env.CS_SEED ?? Date.now() % 2 ** 31);
const RUNS = 400;
const unit = fc.constantFrom(
  '0',
  '1',
  '7',
  '8',
  '9',
  '_',
  '.',
  'e',
  'E',
  'x',
  'o',
  'b',
  '+',
  '-',
  ':',
  'a',
  'f',
  'y',
  'n',
  'Y',
  'N',
  'O',
  's',
  'T',
  'r',
  'u',
);

describe(`YAML 1.1 hazards (CS130) against PyYAML via openstacksdk (seed ${SEED})`, function () {
  it(`${RUNS} random plain scalars: silent ⇒ Python reads the text; warning ⇒ Python keeps it; error ⇒ refused`, () => {
    const token = fc.oneof(
      fc.string({ unit, minLength: 1, maxLength: 8 }),
      fc.stringMatching(/^[0-9]{1,25}$/),
      fc.stringMatching(/^[-+]?0[0-9_]{1,6}$/),
      fc.stringMatching(/^0[xob][0-9a-fA-F_]{1,5}$/),
      fc.stringMatching(/^[-+]?[0-9]{0,3}(\.[0-9]{0,3})?([eE][-+]?[0-9]{1,2})?$/),
      fc.stringMatching(/^[1-9][0-9_]?(:[0-5]?[0-9]){1,2}$/),
      fc.stringMatching(/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$/),
      fc.constantFrom(
        'yes',
        'No',
        'ON',
        'off',
        'y',
        'N',
        'true',
        'False',
        '~',
        'null',
        '.inf',
        '-.Inf',
        '.NaN',
        '1_000',
        '1e3',
        '0x1F',
        '012345',
      ),
    );
    const tokens = [...new Set(fc.sample(token, { numRuns: RUNS, seed: SEED }))].filter(
      (t) => /^[0-9a-zA-Z.+~-]/.test(t) && !/^-([^0-9.]|$)/.test(t) && !/:$/.test(t) && !t.includes(': ') && t !== '.' && t !== '+',
    );
    const clouds = (t: string) =>
      `clouds:\n  c:\n    auth:\n      auth_url: "https://k.example:5000/v3"\n      username: "u"\n      user_domain_name: "Default"\n      password: ${t}\n      project_id: "p"\n    region_name: "R"\n`;
    const sdk = openstacksdkResolve(tokens.map((t, i) => ({ name: `t${i}`, cloud: 'c', clouds: clouds(t) })));
    const tally = { silent: 0, warned: 0, refused: 0 };
    tokens.forEach((t, i) => {
      const input = { clouds: { path: '/p/clouds.yaml', text: clouds(t) } };
      const reading = yaml11Reading(t);
      const o = sdk[i];
      const findings = [...analyzeClouds(input).findings.values()].flat().filter((f) => f.code === 'CS130');
      const pyText = o.ok ? o.auth?.password : undefined;
      if (!reading) {
        assert.equal(findings.length, 0, t);
        assert.equal(pyText, t, `PyYAML does not read ${JSON.stringify(t)} as that text, but CS130 stayed silent`);
        const r = convertCloud(input, 'c', { lb: 'none' });
        assert.ok(r.ok && r.text.includes(`password=${JSON.stringify(t)}`), t);
        tally.silent++;
      } else if (reading.pythonKeepsText) {
        assert.equal(findings[0]?.severity, 'warning', t);
        assert.equal(pyText, t, t);
        tally.warned++;
      } else {
        assert.equal(findings[0]?.severity, reading.type === 'null' ? undefined : 'error', t);
        if (reading.type !== 'null') assert.equal(convertCloud(input, 'c').ok, false, t);
        assert.notEqual(pyText, t, `CS130 refuses ${JSON.stringify(t)} but PyYAML keeps it as text`);
        tally.refused++;
      }
    });
    console.log(
      `      ${tokens.length} tokens: ${tally.silent} silent (PyYAML kept every one), ${tally.warned} warned, ${tally.refused} refused (PyYAML altered every one)`,
    );
  });
});
