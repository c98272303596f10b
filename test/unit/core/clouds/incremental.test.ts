import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cloudsYaml } from '../../../../bench/data';
import { analyzeClouds } from '../../../../src/core/clouds';
import type { CloudsInput, ConvertOptions } from '../../../../src/core/clouds/api';
import { CloudsAnalyzer } from '../../../../src/core/clouds/incremental';

const DIR = '/home/u/project';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----\n';
const DEMO = path.join(__dirname, '../../../integration/workspace/editor-demo');

function input(clouds: string, secure?: string, pub?: string): CloudsInput {
  return {
    clouds: { path: `${DIR}/clouds.yaml`, text: clouds },
    ...(secure !== undefined ? { secure: { path: `${DIR}/secure.yaml`, text: secure } } : {}),
    ...(pub !== undefined ? { public: { path: `${DIR}/clouds-public.yaml`, text: pub } } : {}),
  };
}

/** A clouds.yaml with findings of most kinds, fixes, a profile, a cacert, comments and a key after `clouds:`. */
const RICH = [
  '# a comment before',
  'clouds:',
  '  # the first cloud',
  '  alpha:',
  '    profile: acme',
  '    auth:',
  '      application_credential_id: "id-a"',
  '    region_name: 012345',
  '    insecure: true',
  '',
  '  beta:',
  '    auth:',
  '      auth_url: "https://{region_name}.example.com/v3"',
  '      username: demo',
  '      password: pw',
  '    project_name: p',
  '    tenant_id: t',
  '    regions:',
  '      - RegionOne',
  '      - RegionTwo',
  '    # trailing comment of beta',
  '  gamma:',
  '    auth_type: password',
  '    cacert: ca.pem',
  '    auth:',
  '      auth_url: https://k.example.com/v3',
  '      user-domain-name: Default',
  '    verify: "no"',
  '  delta: not a mapping',
  '  epsilon:',
  '    auth: {auth_url: "https://e.example.com/v3", username: u, password: p}',
  '    region-name: R',
  'other: 1',
  '',
].join('\n');

const RICH_SECURE = [
  'clouds:',
  '  alpha:',
  '    auth:',
  '      application_credential_secret: s',
  '  beta:',
  '    auth:',
  '      password: x',
  '',
].join('\n');

const RICH_PUBLIC = [
  'public-clouds:',
  '  acme:',
  '    auth:',
  '      auth_url: https://acme.example.com/v3',
  '    region_name: AcmeOne',
  '',
].join('\n');

/** Lines the random edits insert or write over a line: mostly settings, some that break the per-cloud reading. */
const POOL = [
  '    region_name: "Region9"',
  '    region_name: 012345',
  '    interface: internal',
  '    insecure: true',
  '    verify: false',
  '    auth_type: v3applicationcredential',
  '      password: secret',
  '      username: someone',
  '      project-id: p',
  '    tenant_name: legacy',
  '    cacert: ca.pem',
  '    cacert: other.pem',
  '    profile: acme',
  '    profile: missing',
  '    regions:',
  '      - RegionX',
  '    auth:',
  '      auth_url: "https://{nope}/v3"',
  '    endpoint_type: public',
  '  # a comment',
  '# a comment at column 0',
  '    nested:',
  '      deeper: {a: 1}',
];

const HOSTILE = [
  '',
  '   ',
  '  fresh:',
  '  alpha:',
  '  cloud-1:',
  '  "quoted-cloud":',
  '  flowcloud: {auth: {auth_url: "https://f/v3"}}',
  '    anchored: &a 1',
  '    aliased: *a',
  '    <<: {region_name: M}',
  '    broken: "unclosed',
  '    list: [a,',
  '    bad: : :',
  '  - item',
  '---',
  '...',
  'top: level',
  '\tauth_type: tabbed',
  '    key: |',
  '      block text',
  '    ? complex',
];

/** A seeded PRNG (mulberry32), so a failure names the seed that reproduces it. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface World {
  clouds: string;
  secure?: string;
  pub?: string;
  files: Map<string, string>;
  options: ConvertOptions;
}

function optionsOf(files: Map<string, string>, lb: ConvertOptions['lb']): ConvertOptions {
  const readFile = (p: string) => files.get(p) ?? { unreadable: 'no such file' };
  return { lb, readFile };
}

/** One random edit of the world: lines inserted, deleted or replaced, a cloud renamed, secure.yaml or a cacert changed. */
function randomEdit(w: World, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const line = () => (rnd() < 0.15 ? pick(HOSTILE) : pick(POOL));
  const lines = w.clouds.split('\n');
  const at = Math.floor(rnd() * lines.length);
  const r = rnd();
  if (r < 0.3) {
    lines.splice(at, 0, line());
  } else if (r < 0.45) {
    if (lines.length > 2) lines.splice(at, 1 + Math.floor(rnd() * 2));
  } else if (r < 0.7) {
    lines[at] = line();
  } else if (r < 0.8) {
    const keys = lines.map((l, i) => [l, i] as const).filter(([l]) => /^ {2}[\w-]+:/.test(l));
    if (keys.length) {
      const [l, i] = pick(keys);
      const other = pick(keys)[0].split(':')[0].trim();
      lines[i] = l.replace(/^ {2}[\w-]+/, `  ${rnd() < 0.3 ? other : `renamed-${Math.floor(rnd() * 1000)}`}`);
    }
  } else if (r < 0.85) {
    // A value changed within a line, keeping the line count.
    lines[at] = lines[at].replace(/[a-z0-9]$/, String.fromCharCode(97 + Math.floor(rnd() * 26)));
  } else if (r < 0.9) {
    w.secure = pick([RICH_SECURE, RICH_SECURE.replace('password: x', 'password: y'), 'clouds:\n  alpha: 1\n', 'clouds: [\n', undefined]);
    return 'secure.yaml';
  } else if (r < 0.95) {
    w.files.set(`${DIR}/ca.pem`, pick([PEM, 'not a pem', PEM + PEM]));
    if (rnd() < 0.3) w.files.delete(`${DIR}/ca.pem`);
    return 'cacert';
  } else {
    w.options = optionsOf(w.files, pick(['scs', 'ovn', 'none'] as const));
    return 'options';
  }
  w.clouds = lines.join('\n');
  return 'clouds.yaml';
}

function check(analyzer: CloudsAnalyzer, w: World, why: string): void {
  const i = input(w.clouds, w.secure, w.pub);
  assert.deepStrictEqual(analyzer.analyze(i, w.options), analyzeClouds(i, w.options), why);
}

const FIXTURES: Record<string, () => Omit<World, 'options' | 'files'>> = {
  bench: () => ({ clouds: cloudsYaml(40).text }),
  rich: () => ({ clouds: RICH, secure: RICH_SECURE, pub: RICH_PUBLIC }),
  richCrlf: () => ({ clouds: RICH.replace(/\n/g, '\r\n'), secure: RICH_SECURE, pub: RICH_PUBLIC }),
  demo: () => ({
    clouds: fs.readFileSync(path.join(DEMO, 'clouds.yaml'), 'utf8'),
    secure: fs.readFileSync(path.join(DEMO, 'secure.yaml'), 'utf8'),
  }),
};

describe('CloudsAnalyzer', () => {
  for (const [name, make] of Object.entries(FIXTURES)) {
    it(`equals analyzeClouds after each of many random edits (${name})`, function () {
      this.timeout(120_000);
      let reused = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const rnd = prng(seed * 7919 + name.length);
        const files = new Map([[`${DIR}/ca.pem`, PEM]]);
        const w: World = { ...make(), files, options: optionsOf(files, 'scs') };
        // Each seed starts from the fixture again, so that one broken edit does not end the run's reuse.
        const analyzer = new CloudsAnalyzer();
        check(analyzer, w, `seed ${seed}, first analysis`);
        const history: string[] = [];
        for (let step = 0; step < 60; step++) {
          let what = 'undo';
          // Undoing goes back from a broken file as often as editing breaks one.
          if (history.length && rnd() < 0.2) w.clouds = history.splice(-1 - Math.floor(rnd() * history.length))[0];
          else {
            history.push(w.clouds);
            what = randomEdit(w, rnd);
          }
          check(analyzer, w, `seed ${seed}, step ${step} (${what})`);
          reused += analyzer.reused;
        }
      }
      // The runs above must have gone through the per-cloud path, not only the full one.
      assert.ok(reused > 0, 'no analysis reused a cloud');
    });
  }

  const base = () => cloudsYaml(5);
  const edited = (text: string, line: number, to: string) => {
    const lines = text.split('\n');
    lines[line] = to;
    return lines.join('\n');
  };

  /** Analyses `before`, then `after`; the second analysis's result and how many clouds it reused. */
  function twice(before: CloudsInput, after: CloudsInput, options: ConvertOptions = {}): number {
    const analyzer = new CloudsAnalyzer();
    assert.deepStrictEqual(analyzer.analyze(before, options), analyzeClouds(before, options));
    assert.equal(analyzer.reused, 0);
    assert.deepStrictEqual(analyzer.analyze(after, options), analyzeClouds(after, options));
    return analyzer.reused;
  }

  it('reuses every other cloud for an edit inside one cloud, shifting the ones below', () => {
    const g = base();
    assert.equal(twice(input(g.text), input(edited(g.text, g.toggle.line, g.toggle.to))), 4);
    const lines = g.text.split('\n');
    lines.splice(g.toggle.line, 0, '    tenant_name: legacy', '    insecure: true');
    assert.equal(twice(input(g.text), input(lines.join('\n'))), 4);
    assert.equal(twice(input(g.text), input(g.text.replace('  cloud-2:', '  renamed:'))), 4);
  });

  it('reuses every cloud when only a cacert reads the same again, and analyses the one whose cacert changed', () => {
    const text = RICH;
    const files = new Map([[`${DIR}/ca.pem`, PEM]]);
    const options = optionsOf(files, 'scs');
    const analyzer = new CloudsAnalyzer();
    const i = input(text, RICH_SECURE, RICH_PUBLIC);
    analyzer.analyze(i, options);
    assert.deepStrictEqual(analyzer.analyze(i, options), analyzeClouds(i, options));
    assert.equal(analyzer.reused, 5);
    files.set(`${DIR}/ca.pem`, 'not a pem');
    assert.deepStrictEqual(analyzer.analyze(i, options), analyzeClouds(i, options));
    assert.equal(analyzer.reused, 4);
  });

  const fallbacks: [string, (t: string) => string][] = [
    [
      'an anchor and an alias',
      (t) =>
        t.replace('    interface: public\n', '    interface: &i public\n').replace('    auth_type: v3', '    x: *i\n    auth_type: v3'),
    ],
    ['a merge key', (t) => t.replace('  cloud-3:\n', '  cloud-3:\n    <<: {region_name: M}\n')],
    ['a syntax error', (t) => t.replace('    interface: public\n', '    interface: "public\n')],
    ['a change outside any cloud', (t) => t.replace('clouds:\n', '# head\nclouds:\n')],
    ['a change spanning two clouds', (t) => t.replace('    interface: public\n  cloud-2:', '    interface: internal\n  cloud-2x:')],
    ['a new cloud inside a block', (t) => t.replace('  cloud-3:\n', '  new-cloud:\n    auth_type: password\n  cloud-3:\n')],
    ["a cloud renamed to another cloud's name", (t) => t.replace('  cloud-3:', '  cloud-1:')],
    ['a document end marker', (t) => t.replace('    interface: public\n  cloud-3:', '...\n  cloud-3:')],
    ['a document start marker', (t) => t.replace('    interface: public\n  cloud-3:', '---\n  cloud-3:')],
    ['a tab before a setting', (t) => t.replace('    interface: public\n  cloud-3', '\tinterface: public\n  cloud-3')],
  ];
  for (const [what, change] of fallbacks)
    it(`analyses the whole file again for ${what}`, () => {
      const t = base().text;
      const after = change(t);
      assert.notEqual(after, t);
      assert.equal(twice(input(t), input(after)), 0);
    });

  it('analyses the whole file again for flow style at the top level', () => {
    const flow = '{clouds: {\n  a: {auth_type: password},\n  b: {auth_type: password}\n}}\n';
    assert.equal(twice(input(flow), input(flow.replace('b: {auth_type: password}', 'b: {auth_type: token}'))), 0);
  });

  it('analyses the whole file again when secure.yaml, clouds-public.yaml or the options change, or after a file-level finding', () => {
    const t = RICH;
    assert.equal(twice(input(t, RICH_SECURE, RICH_PUBLIC), input(t, RICH_SECURE.replace('x', 'y'), RICH_PUBLIC)), 0);
    assert.equal(twice(input(t, RICH_SECURE, RICH_PUBLIC), input(t, RICH_SECURE, RICH_PUBLIC.replace('AcmeOne', 'AcmeTwo'))), 0);
    const analyzer = new CloudsAnalyzer();
    const i = input(t, RICH_SECURE, RICH_PUBLIC);
    analyzer.analyze(i, { lb: 'scs' });
    assert.deepStrictEqual(analyzer.analyze(i, { lb: 'ovn' }), analyzeClouds(i, { lb: 'ovn' }));
    assert.equal(analyzer.reused, 0);
    // secure.yaml's `alpha` is not a mapping of settings where clouds.yaml's is: a merge conflict of the file.
    const conflict = input(t.replace('    auth:\n      application_credential_id: "id-a"', '    auth: 1'), RICH_SECURE, RICH_PUBLIC);
    assert.equal(twice(conflict, input(edited(conflict.clouds.text, 15, '    project_name: q'), RICH_SECURE, RICH_PUBLIC)), 0);
  });

  it('analyses the whole file again when an edit makes a merge conflict with secure.yaml', () => {
    const before = input(RICH, RICH_SECURE, RICH_PUBLIC);
    const after = input(RICH.replace('    auth:\n      application_credential_id: "id-a"', '    auth: 1'), RICH_SECURE, RICH_PUBLIC);
    assert.equal(twice(before, after), 0);
    assert.ok([...analyzeClouds(after).findings.values()].flat().some((f) => f.message.includes('must be a mapping here')));
  });
});
