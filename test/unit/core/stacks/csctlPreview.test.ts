/**
 * The release preview as csctl@66dc97a builds releases: the tree is hashed as Go's dirhash reads it (symlinks to files
 * count with their target's content; the oracle is coreutils `find`/`sha256sum`, dirhash's own definition of Hash1,
 * golang.org/x/mod/sumdb/dirhash/hash.go:31-43), csctl refuses a release when nothing in the stack changed
 * (pkg/cmd/create.go:243-246, :256-265), and custom mode needs all three versions (create.go:189-203).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { clusterStackHash, previewRelease, readStackTree, releaseHash, type ReleasePreview } from '../../../../src/core/stacks/authoring';

const CSCTL = yaml.load(fs.readFileSync(path.resolve(__dirname, '../../../fixtures/stacks-authoring/csctl.yaml'), 'utf8'));

/** Hash1 of a directory by its definition: `sha256sum $(find . -type f | sort) | sha256sum`, here with symlinks listed too (filepath.Walk lists them). */
function coreutilsHash1(dir: string): string {
  const r = spawnSync(
    'bash',
    [
      '-c',
      "find . \\( -type f -o -type l \\) -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum | cut -c1-64 | xxd -r -p | base64",
    ],
    { cwd: dir, encoding: 'utf8', timeout: 20_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  return `h1:${r.stdout.trim()}`;
}
const clean = (h1: string) => h1.replace(/^h1:/, '').replace(/[/=+]/g, '').toLowerCase();
const cleanCut = (h1: string) => clean(h1).slice(0, 7);

describe('csctl release preview', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-tree-'));
    fs.mkdirSync(path.join(dir, 'cluster-addon', 'cni'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'cluster-class'));
    fs.writeFileSync(path.join(dir, 'csctl.yaml'), 'apiVersion: csctl.clusterstack.x-k8s.io/v1alpha1\n');
    fs.writeFileSync(path.join(dir, 'cluster-addon', 'cni', 'Chart.yaml'), 'name: cni\n');
    fs.writeFileSync(path.join(dir, 'cluster-class', 'values.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(dir, 'shared.yaml'), 'shared: true\n');
    fs.symlinkSync('../../shared.yaml', path.join(dir, 'cluster-addon', 'cni', 'values.yaml'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a symlink to a file is hashed with its target content, like Go dirhash (coreutils oracle)', async () => {
    const files = await readStackTree(dir, fsp);
    assert.deepEqual(files.map((f) => f.path).sort(), [
      'cluster-addon/cni/Chart.yaml',
      'cluster-addon/cni/values.yaml',
      'cluster-class/values.yaml',
      'csctl.yaml',
      'shared.yaml',
    ]);
    assert.equal(Buffer.from(files.find((f) => f.path === 'cluster-addon/cni/values.yaml')!.content).toString(), 'shared: true\n');
    assert.equal(clusterStackHash(files), cleanCut(coreutilsHash1(dir)));
    // cshash.GetHash hashes cluster-addon/ on its own, names relative to it (hash.go:81-94)
    assert.equal(releaseHash(files).clusterAddonDir, clean(coreutilsHash1(path.join(dir, 'cluster-addon'))));
  });

  it('a symlink to a directory or a dangling one makes csctl fail, and says which', async () => {
    fs.symlinkSync('cluster-class', path.join(dir, 'linked-dir'));
    await assert.rejects(readStackTree(dir, fsp), /linked-dir is a symlink to a directory: csctl's hash \(Go dirhash\) cannot read it/);
    fs.unlinkSync(path.join(dir, 'linked-dir'));
    fs.symlinkSync('nowhere', path.join(dir, 'dangling'));
    await assert.rejects(readStackTree(dir, fsp), /dangling cannot be read \(a dangling symlink\?\)/);
  });

  it('stable mode: nothing changed in cluster-addon/, cluster-addon-values.yaml, node-image/ → csctl refuses, not a new version', async () => {
    const before = releaseHash(await readStackTree(dir, fsp));
    fs.writeFileSync(path.join(dir, 'cluster-class', 'values.yaml'), 'a: 2\n'); // csctl does not count this
    const current = releaseHash(await readStackTree(dir, fsp));
    assert.notEqual(current.clusterStack, before.clusterStack);
    const refused = previewRelease({ csctl: CSCTL, mode: 'stable', latestVersion: 'v3', current, latestHashes: before });
    assert.equal(
      refused,
      'csctl refuses this release: no change in the cluster stack (cluster-addon/, cluster-addon-values.yaml and node-image/ hash as in the latest release v3; changes elsewhere, e.g. in cluster-class/, do not count)',
    );
    fs.writeFileSync(path.join(dir, 'cluster-addon', 'cni', 'Chart.yaml'), 'name: cni\nversion: 2\n');
    const changed = releaseHash(await readStackTree(dir, fsp));
    assert.equal(
      (previewRelease({ csctl: CSCTL, mode: 'stable', latestVersion: 'v3', current: changed, latestHashes: before }) as ReleasePreview)
        .version,
      'v4',
    );
  });

  it('custom mode needs --cluster-addon-version and --node-image-version too; they show in the preview', () => {
    assert.match(previewRelease({ csctl: CSCTL, mode: 'custom', customVersion: 'v1-alpha.0' }) as string, /needs --cluster-addon-version/);
    assert.match(
      previewRelease({ csctl: CSCTL, mode: 'custom', customVersion: 'v1-alpha.0', customAddonVersion: 'v2' }) as string,
      /needs --node-image-version/,
    );
    assert.match(
      previewRelease({
        csctl: CSCTL,
        mode: 'custom',
        customVersion: 'v1-alpha.0',
        customAddonVersion: 'v2',
        customNodeImageVersion: '2',
      }) as string,
      /--node-image-version "2" is not a version/,
    );
    const p = previewRelease({
      csctl: CSCTL,
      mode: 'custom',
      customVersion: 'v1-alpha.0',
      customAddonVersion: 'v2',
      customNodeImageVersion: 'v1',
    }) as ReleasePreview;
    assert.deepEqual(p.components, { clusterAddon: 'v2', nodeImage: 'v1' });
    assert.equal(p.clusterClass, 'openstack-scs2-1-34-v1-alpha.0');
  });
});
