import * as assert from 'node:assert/strict';
import { encodeValue, GcfgEncodeError, renderCloudConf } from '../../../../src/core/gcfg/encode';

describe('gcfg encoder', () => {
  it('quotes and escapes the worked example of domain.md §5.5', () => {
    assert.equal(encodeValue('password', 'p@ss "w0rd" \\ #1; ü€ '), '"p@ss \\"w0rd\\" \\\\ #1; ü€ "');
  });
  it('refuses CR and NUL without echoing the value', () => {
    assert.throws(
      () => encodeValue('password', 'top\rsecret'),
      (e: unknown) => e instanceof GcfgEncodeError && !e.message.includes('secret'),
    );
    assert.throws(() => encodeValue('password', 'a\0b'), GcfgEncodeError);
  });
  it('renders sections with lowercase keys, booleans unquoted, and masks secrets on request', () => {
    const text = renderCloudConf(
      [
        {
          name: 'Global',
          entries: [
            { key: 'auth-url', value: 'https://k:5000/v3' },
            { key: 'password', value: 's3cr3t', secret: true },
          ],
        },
        { name: 'LoadBalancer', entries: [{ key: 'create-monitor', value: true }] },
      ],
      { mask: '********' },
    );
    assert.equal(text, '[Global]\nauth-url="https://k:5000/v3"\npassword="********"\n\n[LoadBalancer]\ncreate-monitor=true\n');
  });
});
