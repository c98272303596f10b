import * as assert from 'node:assert/strict';
import { certificatesOnly } from '../../../../src/core/clouds/pem';

const CERT = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

describe('cacert PEM filter: CERTIFICATE blocks only', () => {
  it('keeps every certificate block and drops comments and other blocks (reported with their line)', () => {
    const text = `# a bundle\r\n${CERT('QUJD').replace(/\n/g, '\r\n')}junk between\n-----BEGIN X509 CRL-----\nQUJD\n-----END X509 CRL-----\n${CERT('REVG\nR0hJ')}`;
    const r = certificatesOnly(text);
    assert.ok(r.ok);
    assert.equal(r.pem, CERT('QUJD') + CERT('REVG\nR0hJ'));
    assert.equal(r.certificates, 2);
    assert.deepEqual(r.others, [{ label: 'X509 CRL', line: 6 }]);
  });

  it('refuses any private key block, also encrypted, RSA/EC/OpenSSH ones and indented ones, by label and line only', () => {
    for (const label of ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY']) {
      const r = certificatesOnly(`${CERT('QUJD')}  -----BEGIN ${label}-----\nc2VjcmV0\n-----END ${label}-----\n`);
      assert.deepEqual(r, { ok: false, problem: 'key', block: { label, line: 4 } });
    }
  });

  it('no certificate, an unclosed block, or a body that is not base64 (e.g. a replaced invalid byte) are refused', () => {
    assert.deepEqual(certificatesOnly('just text\n'), { ok: false, problem: 'none' });
    assert.deepEqual(certificatesOnly('-----BEGIN PUBLIC KEY-----\nQUJD\n-----END PUBLIC KEY-----\n'), { ok: false, problem: 'none' });
    const unclosed = certificatesOnly('-----BEGIN CERTIFICATE-----\nQUJD\n');
    assert.ok(!unclosed.ok && unclosed.problem === 'malformed' && unclosed.line === 1);
    const bad = certificatesOnly(CERT('QU\ufffdJD'));
    assert.ok(!bad.ok && bad.problem === 'malformed' && bad.line === 2);
  });
});
