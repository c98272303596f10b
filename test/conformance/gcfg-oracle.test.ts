import * as assert from 'node:assert/strict';
import { encodeValue } from '../../src/core/gcfg/encode';
import { gcfgParseMany } from './gcfg';

// The oracle itself against the ground truth of domain.md §5.5 (go-gcfg read_test.go vectors).
describe('gcfg checker (real gopkg.in/gcfg.v1)', () => {
  it('reads the §5.5 worked example exactly as documented', async () => {
    const raw = 'p@ss "w0rd" \\ #1; ü€ ';
    const [quoted, unquoted, hash, semi, unescaped] = await gcfgParseMany([
      `[Global]\npassword=${encodeValue('password', raw)}\n`,
      `[Global]\npassword=${raw}\n`,
      '[Global]\npassword=pa#ss\n',
      '[Global]\npassword=pa;ss\n',
      '[Global]\npassword="pa"ss"\n',
    ]);
    assert.equal(quoted.global.password, raw);
    assert.equal(quoted.csi.global.password, raw);
    assert.equal(unquoted.ok, false);
    assert.match(unquoted.error ?? '', /unquoted '\\' must be followed by new line or double quote/);
    assert.equal(hash.global.password, 'pa');
    assert.equal(semi.global.password, 'pa');
    assert.equal(unescaped.ok, false);
    assert.match(unescaped.error ?? '', /string not terminated/);
  });

  it('tells OCCM and Cinder CSI apart on [Global "x"] and reports typed values', async () => {
    const [r] = await gcfgParseMany([
      '[Global]\nregion=One\n[Global "two"]\nregion=Two\n[LoadBalancer]\nmonitor-delay=1m\ncreate-monitor=yes\n[LoadBalancerClass "ext"]\nsubnet-id=s\n',
    ]);
    assert.equal(r.ok, true);
    assert.deepEqual(r.global, { region: 'One' });
    assert.deepEqual(r.sections.LoadBalancer, { 'monitor-delay': '60000000000', 'create-monitor': true });
    assert.deepEqual(r.sections['LoadBalancerClass "ext"'], { 'subnet-id': 's' });
    assert.equal(r.sections['Global "two"'], undefined);
    assert.equal(r.csi.ok, true);
    assert.deepEqual(r.csi.sections['Global "two"'], { region: 'Two' });
  });
});
