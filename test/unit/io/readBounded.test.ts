import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBounded } from '../../../src/io/readBounded';

describe('readBounded: regular files only, a bound on the bytes actually read', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-read-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file (also through a symlink) and refuses one over the limit', () => {
    fs.writeFileSync(path.join(dir, 'a'), 'x'.repeat(100));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'link'));
    const ok = readBounded(path.join(dir, 'link'), 100);
    assert.ok(ok.ok && ok.bytes.length === 100);
    const big = readBounded(path.join(dir, 'a'), 99);
    assert.deepEqual(big, { ok: false, reason: 'size', size: 100, message: 'it is larger than 99 bytes (100 bytes)' });
  });

  it('a file whose stat size says nothing (/proc) is bounded by what is read', () => {
    const r = readBounded('/proc/self/status', 16);
    assert.ok(!r.ok && r.reason === 'size' && r.size === 17);
  });

  it('devices, a symlink to /dev/zero, directories and missing files are refused without reading', () => {
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero'));
    for (const [p, message] of [
      ['/dev/zero', 'it is a character device, not a regular file'],
      [path.join(dir, 'zero'), 'it is a character device, not a regular file'],
      [dir, 'it is a directory, not a regular file'],
    ])
      assert.deepEqual(readBounded(p, 1024), { ok: false, reason: 'type', message });
    assert.deepEqual(readBounded(path.join(dir, 'nope'), 1024), { ok: false, reason: 'missing', message: 'no such file' });
  });
});
