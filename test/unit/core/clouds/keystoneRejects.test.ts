/**
 * Credentials Keystone / the CCM's client reject are errors now (CS103): the converter refuses them with a located
 * finding and `cluster-stacks cloud-conf` exits 1, so push (which refuses a failed conversion) writes nothing. The real
 * consumers' verdicts on what used to be written are in test/conformance/keystoneRejects.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../../src/cli/run';
import { convertCloud } from '../../../../src/core/clouds';
import { workloadSecretFromPayload } from '../../../../src/core/manifests/credentials';
import { REJECTED } from '../../../conformance/keystoneRejects';

describe('credentials Keystone would reject are conversion errors', () => {
  for (const c of REJECTED) {
    it(`${c.name}: refused, located, exit 1`, () => {
      const r = convertCloud({ clouds: { path: '/p/clouds.yaml', text: c.clouds } }, 'c');
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
        fs.writeFileSync(path.join(dir, 'clouds.yaml'), c.clouds);
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
    const w = workloadSecretFromPayload({ 'clouds.yaml': REJECTED[0].clouds, cloudName: 'c' }, 'cloud-config');
    assert.equal(w.ok, false);
  });
});
