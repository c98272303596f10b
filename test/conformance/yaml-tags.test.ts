/**
 * Tags and encodings against the YAML readers the consumers use (PyYAML for openstacksdk, Go's yaml.v2
 * for CAPO/CSPO/gophercloud): `!!binary` is written as the decoded text exactly when both readers
 * decode it to that text, and refused (CS180) when the bytes are not UTF-8; a tag that makes a value a
 * number or a date is refused (CS105) because the readers do not read the written text; a file that
 * is not UTF-8 is refused (CS180) because both readers refuse it too. The cloud.conf is read back by
 * the real gcfg.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoundedCli } from '../corpus/boundedCli';
import { gcfgParseMany } from './gcfg';
import { goyamlRead, pyyamlRead, type YamlRead } from './yamlOracles';

const clouds = (password: string) =>
  `clouds:\n  c:\n    auth:\n      auth_url: "https://k.example:5000/v3"\n      username: "u"\n      user_domain_name: "Default"\n      project_name: "p"\n      project_domain_name: "Default"\n      password: ${password}\n    region_name: "R"\n`;
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');

/** The password as a reader has it: text, or bytes as {$bytes}, or a typed scalar. */
function passwordOf(r: YamlRead): unknown {
  const v = r.value as { clouds?: { c?: { auth?: { password?: unknown } } } } | undefined;
  return v?.clouds?.c?.auth?.password;
}

describe('YAML tags and encodings against PyYAML and Go yaml.v2 (and gcfg)', function () {
  this.timeout(120_000);
  const cli = new BoundedCli();
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-tags-'))));
  after(() => {
    cli.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function convert(text: string | Uint8Array) {
    fs.writeFileSync(path.join(dir, 'clouds.yaml'), text);
    const o = await cli.run({ args: ['cloud-conf', '--lb', 'none', 'clouds.yaml'], cwd: dir });
    assert.equal(o.kind, 'exit');
    return o.kind === 'exit' ? o : { code: -1, out: '', err: '' };
  }

  it('!!binary of UTF-8 text: the converter writes the text both readers decode (flow and block base64)', async () => {
    const texts = ['secret', 'pässwörd €', 'with "quotes" and \\ ; #', '丁😀', ' lead and trail '];
    const docs = [
      ...texts.map((t) => clouds(`!!binary ${b64(t)}`)),
      ...texts.map((t) =>
        clouds(
          `!!binary |\n        ${b64(t)
            .replace(/(.{4})/g, '$1\n        ')
            .trimEnd()}`,
        ),
      ),
    ];
    const py = pyyamlRead(docs.map((d) => Buffer.from(d)));
    const go = await goyamlRead(docs.map((d) => Buffer.from(d)));
    const runs: { code: number; out: string; err: string }[] = [];
    for (const d of docs) runs.push(await convert(d));
    const gcfg = await gcfgParseMany(runs.map((r) => r.out));
    docs.forEach((_, i) => {
      const text = texts[i % texts.length];
      assert.deepEqual(passwordOf(py[i]), { $bytes: b64(text) }, `PyYAML, doc ${i}: ${py[i].error ?? ''}`);
      assert.equal(passwordOf(go[i]), text, `Go yaml, doc ${i}: ${go[i].error ?? ''}`);
      assert.equal(runs[i].code, 0, runs[i].err);
      assert.match(runs[i].err, /warning CS106: /);
      assert.equal(gcfg[i].ok, true, gcfg[i].error);
      assert.equal(gcfg[i].global.password, text, `gcfg, doc ${i}`);
    });
  });

  it('!!binary whose bytes are not UTF-8: both readers get bytes, not text; the converter refuses (CS180)', async () => {
    const bytes = [Buffer.from([0xff, 0xfe, 0x41]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80])];
    const docs = bytes.map((b) => Buffer.from(clouds(`!!binary ${b64(b)}`)));
    const py = pyyamlRead(docs);
    const go = await goyamlRead(docs);
    for (let i = 0; i < docs.length; i++) {
      assert.deepEqual(passwordOf(py[i]), { $bytes: b64(bytes[i]) });
      assert.deepEqual(passwordOf(go[i]), { $bytes: b64(bytes[i]) });
      const r = await convert(docs[i]);
      assert.equal(r.code, 1);
      assert.equal(r.out, '');
      assert.match(r.err, /^clouds\.yaml:9:\d+: error CS180: `password` must be a string: its `!!binary` bytes are not UTF-8 text/m);
    }
  });

  it('!!str is text for everyone and converted; !!int, !!float, !!timestamp make PyYAML hold no text, so CS105', async () => {
    // [value, the text every reader holds (converted) or undefined (refused), whether Go yaml.v2 still holds text]
    const cases: [string, string | undefined, boolean][] = [
      ['!!str 012345', '012345', true],
      ['!!str yes', 'yes', true],
      ['!<tag:yaml.org,2002:str> 1e3', '1e3', true],
      ['!!int "0x1F"', undefined, false],
      ['!!float "1"', undefined, false],
      // yaml.v2 keeps a timestamp as its text in an interface{}; PyYAML makes it a date, which openstacksdk passes on as a date.
      ['!!timestamp 2024-01-01', undefined, true],
    ];
    const docs = cases.map(([v]) => Buffer.from(clouds(v)));
    const py = pyyamlRead(docs);
    const go = await goyamlRead(docs);
    for (let i = 0; i < cases.length; i++) {
      const [v, text, goText] = cases[i];
      const r = await convert(docs[i]);
      if (text !== undefined) {
        assert.equal(passwordOf(py[i]), text, v);
        assert.equal(passwordOf(go[i]), text, v);
        assert.equal(r.code, 0, r.err);
        assert.equal((await gcfgParseMany([r.out]))[0].global.password, text);
      } else {
        // openstacksdk's reader does not hold the text that was written (a number or a date, printed its own way).
        assert.notEqual(typeof passwordOf(py[i]), 'string', `PyYAML ${v}`);
        assert.equal(typeof passwordOf(go[i]) === 'string', goText, `Go ${v}: ${JSON.stringify(passwordOf(go[i]))}`);
        assert.equal(r.code, 1);
        assert.match(r.err, /error CS105: `password` must be a string: the tag `!![a-z]+` makes it/);
      }
    }
  });

  it('a file that is not UTF-8: both readers refuse it, and so does the converter (CS180 at the byte)', async () => {
    const text = Buffer.from(clouds('"p\u0001x"'));
    text[text.indexOf(0x01)] = 0xff;
    const [py] = pyyamlRead([text]);
    const [go] = await goyamlRead([text]);
    assert.equal(py.ok, false, 'PyYAML reads invalid UTF-8');
    assert.equal(go.ok, false, 'Go yaml reads invalid UTF-8');
    const r = await convert(text);
    assert.equal(r.code, 1);
    assert.match(r.err, /^clouds\.yaml:9:\d+: error CS180: The file is not valid UTF-8 here \(byte 0xFF/m);
  });
});
