/**
 * Inputs the YAML 1.2 reader takes that openstacksdk (PyYAML, str.format, merge_clouds, get_boolean)
 * fails on or reads differently — found by the oracle corpus. Each is refused with a located error
 * now instead of converted; test/conformance/openstacksdk-refusals.test.ts shows openstacksdk on them.
 */
import * as assert from 'node:assert/strict';
import { convertCloud } from '../../../../src/core/clouds';
import type { ConversionResult } from '../../../../src/core/clouds/api';

const APP = (extra = '', auth = '') =>
  `clouds:\n  c:\n    auth:\n      auth_url: "https://k.example:5000/v3"\n      application_credential_id: "id"\n${auth}    region_name: "R"\n    auth_type: "v3applicationcredential"\n${extra}`;
const SECURE = 'clouds:\n  c:\n    auth:\n      application_credential_secret: "s"\n';

function convert(clouds: string, secure: string | undefined = SECURE, pub?: string): ConversionResult {
  return convertCloud(
    {
      clouds: { path: '/p/clouds.yaml', text: clouds },
      ...(secure !== undefined ? { secure: { path: '/p/secure.yaml', text: secure } } : {}),
      ...(pub !== undefined ? { public: { path: '/p/clouds-public.yaml', text: pub } } : {}),
    },
    'c',
    { lb: 'none' },
  );
}

function errors(r: ConversionResult): string[] {
  return [...r.findings]
    .flatMap(([file, list]) => list.map((f) => ({ file, f })))
    .filter(({ f }) => f.severity === 'error')
    .map(({ file, f }) => `${file.replace('/p/', '')}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code} ${f.message}`);
}

describe('what openstacksdk fails on or reads differently is refused, located', () => {
  it('a character YAML 1.1 readers refuse raw (DEL, C1, U+FFFE), even inside quotes: CS001 at it; the escape is converted', () => {
    for (const [ch, cp] of [
      ['\u007f', '007F'],
      ['\u0086', '0086'],
      ['\ufffe', 'FFFE'],
    ]) {
      const r = convert(APP(`    interface: "pub${ch}lic"\n`));
      assert.equal(r.ok, false);
      assert.deepEqual(errors(r), [
        `clouds.yaml:8:20 CS001 YAML syntax error: the character U+${cp} is not allowed in a YAML file: PyYAML (openstacksdk) and Go's YAML reader (CAPO) refuse the whole file, even inside quotes. Write it as an escape in a double-quoted string.`,
      ]);
    }
    const escaped = convert(APP(), 'clouds:\n  c:\n    auth:\n      application_credential_secret: "s\\x7fs"\n');
    assert.ok(escaped.ok);
    assert.match(escaped.text, /application-credential-secret="s\u007fs"/);
  });

  it('openstacksdk str.format()s every top-level string but password: a brace it cannot parse is CS165, a filled placeholder is used', () => {
    const cases: [string, RegExp][] = [
      [
        '    region_name: "R}x"\n',
        /clouds\.yaml:\d+:18 CS165 `region_name` has a single '}': openstacksdk formats it with Python's str\.format and fails to load the cloud/,
      ],
      ['    identity_api_version: "{3"\n', /CS165 `identity_api_version` has a '\{' without '\}'/],
      ['    interface: "{0}"\n', /CS165 `interface` has a placeholder that is not a setting name/],
      ['    interface: "{nope}"\n', /CS165 `interface` has the placeholder \{nope\}, which no setting of the cloud fills/],
    ];
    for (const [line, expected] of cases) {
      const text = line.includes('region_name') ? APP().replace('    region_name: "R"\n', line) : APP(line);
      const r = convert(text);
      assert.equal(r.ok, false, line);
      assert.match(errors(r).join('\n'), expected);
    }
    const filled = convert(APP('    interface: "{endpoint_kind}"\n    endpoint_kind: "internal"\n'));
    assert.ok(filled.ok);
    assert.match(filled.text, /os-endpoint-type="internal"/);
    // filled with something that is no endpoint type: CS176 (see cloudConfDetails.test.ts)
    assert.ok(errors(convert(APP('    interface: "{region_name}"\n'))).some((e) => e.includes('CS176')));
    assert.ok([...filled.findings.values()].flat().some((f) => f.code === 'CS165' && f.severity === 'warning'));
    // `password` is excluded from formatting (loader.py FORMAT_EXCLUSIONS), and auth values are never formatted
    assert.equal(convert(APP(), 'clouds:\n  c:\n    auth:\n      application_credential_secret: "{not}a}field"\n').ok, true);
  });

  it('`verify` only as a boolean (a string "false" keeps verification on for openstacksdk, Go refuses it); `insecure` a boolean or text', () => {
    assert.match(errors(convert(APP('    verify: "false"\n'))).join('\n'), /clouds\.yaml:8:13 CS105 `verify` must be true or false/);
    assert.match(errors(convert(APP('    verify: 0\n'))).join('\n'), /CS105 `verify` must be true or false/);
    const off = convert(APP('    verify: off\n'));
    assert.ok(off.ok);
    assert.match(off.text, /tls-insecure="true"/);
    assert.match(errors(convert(APP('    insecure: 1\n'))).join('\n'), /CS105 `insecure` must be true or false/);
    const text = convert(APP('    insecure: "True"\n'));
    assert.ok(text.ok);
    assert.match(text.text, /tls-insecure="true"/);
    // PyYAML keeps a plain `y` as text, which get_boolean does not take as true
    const y = convert(APP('    insecure: y\n'));
    assert.ok(y.ok);
    assert.doesNotMatch(y.text, /tls-insecure/);
  });

  it('a numeric auth_url is CS105 (openstacksdk calls .format on it)', () => {
    const r = convert(APP().replace('"https://k.example:5000/v3"', '42'));
    assert.deepEqual(errors(r), [
      'clouds.yaml:4:17 CS105 `auth_url` must be a string: it reads as a number or a boolean, and openstacksdk formats `auth_url` as text and fails. Quote it.',
    ]);
  });

  it('secure.yaml settings under a key clouds.yaml has empty or as a scalar: openstacksdk cannot merge, for every cloud (CS003)', () => {
    const empty = convert(
      APP().replace('    auth:\n      auth_url: "https://k.example:5000/v3"\n      application_credential_id: "id"\n', '    auth:\n'),
    );
    assert.match(
      errors(empty).join('\n'),
      /clouds\.yaml:3:5 CS003 `auth` must be a mapping here, because secure\.yaml \(\/p\/secure\.yaml\) has settings under it: openstacksdk cannot merge them into an empty value/,
    );
    // a broken sibling cloud breaks the whole file for openstacksdk
    const sibling = convert(APP() + '  d:\n    auth: true\n', SECURE + '  d:\n    auth:\n      password: "p"\n');
    assert.match(errors(sibling).join('\n'), /clouds\.yaml:9:5 CS003 `auth` must be a mapping here/);
  });

  it('a secure.yaml or clouds-public.yaml cloud that is not a mapping, and a `clouds:` without value there, are CS003', () => {
    assert.match(
      errors(convert(APP(), 'clouds:\n  c: null\n')).join('\n'),
      /secure\.yaml:2:3 CS003 This cloud in secure\.yaml must be a mapping of settings/,
    );
    assert.match(
      errors(convert(APP(), 'clouds:\n  c: "x"\n')).join('\n'),
      /secure\.yaml:2:3 CS003 This cloud in secure\.yaml must be a mapping/,
    );
    assert.match(
      errors(convert(APP(), 'clouds:\n')).join('\n'),
      /secure\.yaml:1:1 CS003 `clouds:` has no value: openstacksdk fails to read the file/,
    );
    const pub = convert(APP('    profile: v\n'), SECURE, 'public-clouds:\n  v:\n');
    assert.match(errors(pub).join('\n'), /clouds-public\.yaml:2:3 CS003 This cloud in clouds-public\.yaml must be a mapping/);
    assert.match(
      errors(convert(APP('    profile: v\n'), SECURE, 'public-clouds:\n')).join('\n'),
      /clouds-public\.yaml:1:1 CS003 `public-clouds:` has no value/,
    );
  });
});
