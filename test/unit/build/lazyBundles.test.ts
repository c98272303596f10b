// Two bundles are loaded on first use (scripts/build.mjs): dist/app.js, the extension proper, by the small
// entry dist/extension.js (src/extension.ts, src/services/shell.ts), and dist/kube.js, the Kubernetes
// code, by dist/app.js (src/services/kube.ts); dist/analysis-worker.js runs in a worker thread that
// dist/app.js starts on the first analysis (src/services/analysis/client.ts). The import graphs esbuild reports (its metafiles) say what
// each bundle holds; each reaches the next by one CommonJS require.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Metafile {
  readonly inputs: Record<string, unknown>;
}

const KUBE_CODE = /(^|\/)node_modules\/@kubernetes\/client-node\/|(^|\/)src\/kube\//;
/** All the entry may hold: activation registers the stubs and the tree view and loads nothing else. */
const ENTRY_SOURCES = ['src/extension.ts', 'src/services/shell.ts', 'src/services/commandIds.ts', 'src/services/documents.ts'];

describe('build: the lazily loaded bundles', function () {
  this.timeout(120_000);
  let dir: string;
  const meta = (bundle: string) => JSON.parse(fs.readFileSync(path.join(dir, 'meta', `${bundle}.json`), 'utf8')) as Metafile;
  const sources = (bundle: string) => Object.keys(meta(bundle).inputs).filter((i) => !i.startsWith('lazy-bundle:'));
  const text = (bundle: string) => fs.readFileSync(path.join(dir, 'out', bundle), 'utf8');
  const ignore = () => fs.readFileSync(path.join(__dirname, '..', '..', '..', '.vscodeignore'), 'utf8').split('\n');

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

  it('extension.js (loaded at activation) holds only the entry and the shell: no room, no service, no package', () => {
    assert.deepEqual(sources('extension').sort(), [...ENTRY_SOURCES].sort());
  });

  it('extension.js loads app.js from beside itself with require', () => {
    assert.match(text('extension.js'), /require\("\.\/app\.js"\)/);
    assert.doesNotMatch(text('extension.js'), /import\("\.\/app\.js"\)/);
  });

  it('app.js holds the three rooms and the services, but not src/kube or @kubernetes/client-node', () => {
    const inputs = sources('app');
    for (const room of ['src/app.ts', 'src/editor/', 'src/views/explorer/', 'src/commands/', 'src/services/command.ts'])
      assert.ok(
        inputs.some((i) => i.startsWith(room)),
        `app.js holds ${room}`,
      );
    assert.deepEqual(
      inputs.filter((i) => KUBE_CODE.test(i)),
      [],
    );
  });

  it('kube.js holds src/kube/api.ts and client-node', () => {
    const inputs = sources('kube');
    assert.ok(inputs.includes('src/kube/api.ts'));
    assert.ok(inputs.some((i) => /node_modules\/@kubernetes\/client-node\//.test(i)));
  });

  it('app.js loads kube.js from beside itself with require', () => {
    assert.match(text('app.js'), /require\("\.\/kube\.js"\)/);
    assert.doesNotMatch(text('app.js'), /import\("\.\/kube\.js"\)/);
    assert.ok(fs.existsSync(path.join(dir, 'out', 'kube.js')));
  });

  it('analysis-worker.js holds the worker and the core it runs, not VS Code, the Kubernetes code or the YAML service', () => {
    const inputs = sources('analysis-worker');
    for (const part of ['src/services/analysis/worker.ts', 'src/core/clouds/', 'src/core/stacks/incremental.ts'])
      assert.ok(
        inputs.some((i) => i.startsWith(part)),
        `analysis-worker.js holds ${part}`,
      );
    assert.deepEqual(
      inputs.filter((i) => KUBE_CODE.test(i) || /node_modules\/yaml-language-server\/|^src\/editor\//.test(i)),
      [],
    );
    assert.doesNotMatch(text('analysis-worker.js'), /require\("vscode"\)/);
  });

  it('app.js starts the worker from dist/analysis-worker.js and does not hold the worker itself', () => {
    assert.ok(!sources('app').includes('src/services/analysis/worker.ts'));
    assert.match(text('app.js'), /"analysis-worker\.js"/);
  });

  it('the VSIX ships app.js, kube.js and analysis-worker.js', () => {
    assert.ok(ignore().includes('!dist/app.js'), '.vscodeignore keeps dist/app.js');
    assert.ok(ignore().includes('!dist/kube.js'), '.vscodeignore keeps dist/kube.js');
    assert.ok(ignore().includes('!dist/analysis-worker.js'), '.vscodeignore keeps dist/analysis-worker.js');
  });
});
