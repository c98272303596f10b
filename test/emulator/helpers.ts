// Test helpers for the emulator suites: running the real kubectl against an emulator, and raw HTTPS
// requests that trust the emulator's CA.
import { execFile, spawn, ChildProcess } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Emulator } from './index';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const cacheDir = mkdtempSync(join(tmpdir(), 'kube-emulator-kubectl-cache-'));

export function kubectlEnv(kubeconfigPath: string): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: cacheDir, HOME: process.env.HOME ?? tmpdir() };
}

/** Runs kubectl with the emulator's kubeconfig; `input` goes to stdin. */
export function kubectl(kubeconfigPath: string, args: string[], input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', args, { env: kubectlEnv(kubeconfigPath), timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number'
          ? Number((err as { code?: unknown }).code)
          : 1
        : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Starts a long-running kubectl (e.g. `get --watch`) and collects its output. */
export function kubectlSpawn(kubeconfigPath: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn('kubectl', args, { env: kubectlEnv(kubeconfigPath) });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every `Warning` header value, in order (Node joins repeated ones in `headers`). */
  warnings: string[];
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Milliseconds from sending the request to its last byte (before any decompression). */
  receivedMs: number;
}

/** One HTTPS request to the emulator as the admin (or with `token`). */
export function call(
  em: Emulator,
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string; contentType?: string; accept?: string; gzip?: boolean } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { Authorization: `Bearer ${opts.token ?? em.token}` };
    if (data !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      // Node sends a DELETE body without framing unless told its length.
      headers['Content-Length'] = String(Buffer.byteLength(data));
    }
    if (opts.accept) headers.Accept = opts.accept;
    if (opts.gzip) headers['Accept-Encoding'] = 'gzip';
    const started = process.hrtime.bigint();
    const req = httpsRequest(`${em.url}${path}`, { method, ca: em.caPem, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const receivedMs = Number(process.hrtime.bigint() - started) / 1e6;
        const raw = Buffer.concat(chunks);
        const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        const warnings: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          // Header bytes arrive as latin1 in Node; the server writes UTF-8.
          if (res.rawHeaders[i].toLowerCase() === 'warning') warnings.push(Buffer.from(res.rawHeaders[i + 1], 'latin1').toString('utf8'));
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, warnings, text, json: () => JSON.parse(text), receivedMs });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Waits until `check` returns true (polling every 20 ms) or fails after `ms`. */
export async function eventually(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
