/**
 * A TLS terminator in front of the test Keystone (which speaks plain HTTP): an https server on
 * 127.0.0.1 with a certificate from its own fresh CA, forwarding every request to Keystone with
 * `X-Forwarded-Proto: https` (Keystone is configured to honour it, so the links it returns say https).
 * For the `cacert` and `verify: false` tests.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTls } from '../emulator/tls';

export interface TlsTerminator {
  /** `https://127.0.0.1:PORT/v3` */
  readonly url: string;
  /** The PEM of the CA that signed the terminator's certificate, and a file holding it. */
  readonly caPem: string;
  readonly caFile: string;
  stop(): Promise<void>;
}

export async function startTlsTerminator(keystoneUrl: string): Promise<TlsTerminator> {
  const backend = new URL(keystoneUrl);
  const tls = await generateTls('keystone');
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const upstream = http.request(
      {
        host: backend.hostname,
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https' },
        agent: false,
        timeout: 30_000,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')));
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-stacks-keystone-tls-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, tls.caPem);
  return {
    url: `https://127.0.0.1:${port}/v3`,
    caPem: tls.caPem,
    caFile,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
