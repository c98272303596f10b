// The Kubernetes code is a bundle of its own, loaded on first use (scripts/build.mjs, src/services/kube.ts):
// the import graph esbuild reports for dist/extension.js (its metafile) holds neither src/kube nor
// @kubernetes/client-node, and extension.js reaches dist/kube.js by one CommonJS require.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Metafile {
  readonly inputs: Record<string, unknown>;
}

const KUBE_CODE = /(^|\/)node_modules\/@kubernetes\/client-node\/|(^|\/)src\/kube\//;

describe('build: the Kubernetes code in its own lazily loaded bundle', function () {
  this.timeout(120_000);
  let dir: string;
  const meta = (bundle: string) => JSON.parse(fs.readFileSync(path.join(dir, 'meta', `${bundle}.json`), 'utf8')) as Metafile;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
    const repo = path.join(__dirname, '..', '..', '..');
    execFileSync(process.execPath, ['scripts/build.mjs', '--out', path.join(dir, 'out'), '--metafile', path.join(dir, 'meta')], {
      cwd: repo,
      timeout: 110_000,
      stdio: 'pipe',
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('extension.js does not contain src/kube or @kubernetes/client-node', () => {
    const inputs = Object.keys(meta('extension').inputs);
    assert.ok(
      inputs.some((i) => i.startsWith('src/services/')),
      'the metafile lists the extension sources',
    );
    assert.deepEqual(
      inputs.filter((i) => KUBE_CODE.test(i)),
      [],
    );
  });

  it('kube.js holds src/kube/api.ts and client-node', () => {
    const inputs = Object.keys(meta('kube').inputs);
    assert.ok(inputs.includes('src/kube/api.ts'));
    assert.ok(inputs.some((i) => /node_modules\/@kubernetes\/client-node\//.test(i)));
  });

  it('extension.js loads kube.js from beside itself with require', () => {
    const text = fs.readFileSync(path.join(dir, 'out', 'extension.js'), 'utf8');
    assert.match(text, /require\("\.\/kube\.js"\)/);
    assert.doesNotMatch(text, /import\("\.\/kube\.js"\)/);
    assert.ok(fs.existsSync(path.join(dir, 'out', 'kube.js')));
  });

  it('the VSIX ships kube.js', () => {
    const ignore = fs.readFileSync(path.join(__dirname, '..', '..', '..', '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!dist/kube.js'), '.vscodeignore keeps dist/kube.js');
  });
});
