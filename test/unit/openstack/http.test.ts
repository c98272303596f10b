import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { OpenStackError, requestJson } from '../../../src/openstack/http';
import { Secret } from '../../../src/openstack/secret';

async function rejection(p: Promise<unknown>): Promise<OpenStackError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OpenStackError, String(e));
    return e;
  }
  assert.fail('resolved');
}

describe('openstack: requestJson failures', () => {
  it('a closed port is a network error; a URL that is not http(s) is refused before connecting', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const e = await rejection(requestJson('GET', `http://127.0.0.1:${port}/v3`));
    assert.equal(e.code, 'network');
    assert.match(e.message, /^Cannot reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    assert.equal((await rejection(requestJson('GET', 'ftp://127.0.0.1/v3'))).code, 'url');
    const secret = new Secret('hunter2-secret');
    const bad = await rejection(requestJson('GET', 'not a url hunter2-secret', { secrets: [secret] }));
    assert.equal(bad.code, 'url');
    assert.equal(bad.message.includes('hunter2-secret'), false);
  });

  it('a server that accepts and never answers is a timeout, bounded by timeoutMs', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as net.AddressInfo).port;
    const started = Date.now();
    const e = await rejection(requestJson('GET', `http://127.0.0.1:${port}/v3`, { timeoutMs: 300 }));
    assert.equal(e.code, 'timeout');
    assert.ok(Date.now() - started < 2000);
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('answers come back for every status with the parsed JSON body', async () => {
    const server = net.createServer((s) =>
      s.once('data', () =>
        s.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":{"code":401}}'),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as net.AddressInfo).port;
    const r = await requestJson('POST', `http://127.0.0.1:${port}/v3/auth/tokens`, { body: { a: 1 } });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { error: { code: 401 } });
    server.close();
  });
});
