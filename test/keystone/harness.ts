/**
 * A real Keystone for tests (Debian's python3-keystone, Keystone 22 / Zed) on a throwaway PostgreSQL,
 * started in a temporary directory by test/keystone/keystone_server.py, listening on 127.0.0.1 with a
 * port the OS picks. Nothing runs before start and nothing is left after stop(): the supervisor stops
 * PostgreSQL and exits when its stdin closes, which also happens when the test process dies.
 *
 *   const ks = await startKeystone();          // ~5 s on a quiet machine; ks.startMs says how long it took
 *   const p = await ks.api.createProject('tenant-a');
 *   ...
 *   await ks.stop();
 *
 * Keystone's wsgiref server is single-threaded: one request at a time, each on its own connection
 * (HTTP/1.0). Tests run their Keystone calls one after another; parallel calls only queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PYTHON } from '../conformance/pythonOracle';
import { KeystoneApi } from './api';

const SERVER = path.join(__dirname, 'keystone_server.py');
const DIST = '/usr/lib/python3/dist-packages';

export interface Keystone {
  /** The identity v3 URL, `http://127.0.0.1:PORT/v3`. */
  readonly url: string;
  /** The region of the identity endpoints (`RegionOne`). */
  readonly region: string;
  readonly adminPassword: string;
  /** Admin-scoped helpers: projects, users, roles, application credentials, trusts, catalog. */
  readonly api: KeystoneApi;
  /** Milliseconds from spawn to the identity endpoints being in the catalog. */
  readonly startMs: number;
  /** Keystone's and PostgreSQL's logs (the request log has no bodies and no headers). */
  readonly logDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Upper bound for the whole start; default 180 s (about 5 s on a quiet machine, 35 s at load 14 on 2 cores). */
  readonly timeoutMs?: number;
}

/** The Debian packages that are missing, each with what it is for; empty when Keystone can start. */
export function missingPackages(): string[] {
  const missing: string[] = [];
  if (!fs.existsSync(PYTHON)) missing.push('python3 (/usr/bin/python3)');
  if (!fs.existsSync(path.join(DIST, 'keystone', 'cmd', 'cli.py'))) missing.push('python3-keystone (Keystone)');
  if (!fs.existsSync(path.join(DIST, 'psycopg2'))) missing.push('python3-psycopg2 (Keystone on PostgreSQL)');
  const pg = '/usr/lib/postgresql';
  const hasPg = fs.existsSync(pg) && fs.readdirSync(pg).some((v) => fs.existsSync(path.join(pg, v, 'bin', 'initdb')));
  if (!hasPg) missing.push('postgresql (the database behind Keystone)');
  return missing;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts PostgreSQL + Keystone, bootstraps admin and the identity endpoints; throws a clear error on a missing package or a timeout. */
export async function startKeystone(options: StartOptions = {}): Promise<Keystone> {
  const missing = missingPackages();
  if (missing.length)
    throw new Error(`Cannot start the test Keystone: missing Debian packages: ${missing.join(', ')}. Run: bash scripts/system-deps.sh`);
  const timeoutMs = options.timeoutMs ?? 180_000;
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-stacks-keystone-'));
  // PostgreSQL runs as the postgres user and needs to reach its socket directory inside.
  fs.chmodSync(dir, 0o755);
  const adminPassword = randomBytes(18).toString('base64url');
  const child = spawn(PYTHON, [SERVER, dir], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? dir,
      LANG: 'C.UTF-8',
      KEYSTONE_ADMIN_PASSWORD: adminPassword,
    },
  });
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.stdin.end();
    const gone = await Promise.race([exited.then(() => true), delay(15_000).then(() => false)]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
    running.delete(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await withTimeout(readPort(child), timeoutMs, () => `Keystone did not start within ${timeoutMs / 1000} s`);
    const url = `http://127.0.0.1:${port}/v3`;
    const api = new KeystoneApi(url, adminPassword);
    const region = 'RegionOne';
    await withTimeout(
      api.bootstrapIdentityEndpoints(region),
      Math.max(1000, timeoutMs - (Date.now() - started)),
      () => 'Keystone did not answer',
    );
    return { url, region, adminPassword, api, startMs: Date.now() - started, logDir: dir, stop };
  } catch (e) {
    const logs = tail(path.join(dir, 'keystone.log')) + tail(path.join(dir, 'postgres.log'));
    await stop();
    throw new Error(`${(e as Error).message}${stderr ? `\nstderr: ${stderr}` : ''}${logs}`, { cause: e });
  }
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      let msg: { port?: number; error?: string };
      try {
        msg = JSON.parse(buf.slice(0, nl)) as typeof msg;
      } catch {
        return reject(new Error(`unexpected output from the Keystone supervisor: ${buf.slice(0, 200)}`));
      }
      if (msg.port) resolve(msg.port);
      else reject(new Error(`Keystone did not start: ${msg.error ?? 'no port'}`));
    });
    child.once('exit', (code) => reject(new Error(`the Keystone supervisor exited with ${code} before listening`)));
    child.once('error', reject);
  });
}

function tail(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return `\n--- ${path.basename(file)} (last lines):\n${text.split('\n').slice(-15).join('\n')}`;
  } catch {
    return '';
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
