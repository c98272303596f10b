// The one KubeClient keeps one kept-alive connection per cluster instead of a new connection (a TLS
// handshake) per request, for the explorer's reads (getJson) and the commands' requests alike.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient, NO_RETRY } from '../../src/kube/client';

describe('kube connection reuse', () => {
  let server: http.Server;
  let connections = 0;
  let kc: KubeConfig;

  before(async () => {
    server = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"kind":"NamespaceList","items":[]}');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'not-a-real-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => (connections = 0));

  it("getJson (the explorer's reads) sends sequential requests over one connection until disposed", async () => {
    const h = new KubeClient(kc);
    for (let i = 0; i < 5; i++) await h.getJson('/api/v1/namespaces', { retry: NO_RETRY });
    assert.equal(h.requestCount, 5);
    assert.equal(connections, 1);
    h.dispose();
    await h.getJson('/api/v1/namespaces', { retry: NO_RETRY });
    assert.equal(connections, 2, 'a request after dispose opens a new connection');
    h.dispose();
  });

  it("request (the commands' writes) does the same", async () => {
    const c = new KubeClient(kc);
    for (let i = 0; i < 5; i++) assert.equal((await c.request('GET', '/api/v1/namespaces')).status, 200);
    assert.equal(connections, 1);
    c.dispose();
  });
});
