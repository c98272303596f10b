/**
 * Credentials Keystone / the CCM's client reject are errors now (CS103): the converter refuses them with a located
 * finding and `cluster-stacks cloud-conf` exits 1, so push (which refuses a failed conversion) writes nothing. What the
 * real Keystone says about what used to be written: test/conformance/keystoneRejects.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../../src/cli/run';
import { convertCloud } from '../../../../src/core/clouds';
import { workloadSecretFromPayload } from '../../../../src/core/manifests/credentials';
import { cloudsYamlOf, rejectedCredentials, type Identity } from '../../../conformance/keystoneRejects';

const ID: Identity = {
  authUrl: 'https://keystone.example.com:5000/v3',
  region: 'RegionOne',
  user: { id: 'u-id', name: 'alice', password: 'pw' },
  project: { id: 'p-id', name: 'tenant-a' },
  appCred: { id: 'ac-id', name: 'ci', secret: 'ac-secret' },
};

describe('credentials Keystone would reject are conversion errors', () => {
  for (const c of rejectedCredentials(ID)) {
    it(`${c.name}: refused, located, exit 1`, () => {
      const clouds = cloudsYamlOf(ID, c);
      const r = convertCloud({ clouds: { path: '/p/clouds.yaml', text: clouds } }, 'c');
      assert.equal(r.ok, false);
      const errors = [...r.findings.values()].flat().filter((f) => f.severity === 'error');
      assert.ok(
        errors.some((f) => f.code === 'CS103' && c.missing.test(f.message)),
        errors.map((f) => `${f.code} ${f.message}`).join('\n'),
      );
      assert.ok(
        errors.every((f) => f.range.start.line === 1),
        'located at the cloud',
      );

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-ks-'));
      try {
        fs.writeFileSync(path.join(dir, 'clouds.yaml'), clouds);
        let out = '';
        let err = '';
        const code = run(['cloud-conf', 'clouds.yaml'], { env: {}, cwd: dir, stdout: (t) => (out += t), stderr: (t) => (err += t) });
        assert.equal(code, 1);
        assert.equal(out, '');
        assert.match(err, /^clouds\.yaml:2:3: error CS103: /m);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('the push path refuses too: a tenant payload with such a cloud gives no workload Secret', () => {
    const [first] = rejectedCredentials(ID);
    const w = workloadSecretFromPayload({ 'clouds.yaml': cloudsYamlOf(ID, first), cloudName: 'c' }, 'cloud-config');
    assert.equal(w.ok, false);
  });
});
