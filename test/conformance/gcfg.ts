/**
 * The real gcfg oracle for tests: builds test/conformance/gcfg-checker (Go + Debian's
 * golang-gopkg-gcfg.v1-dev) once into ~/.cache/cluster-stacks/gcfg-checker/<hash of its sources>/
 * and runs it on batches of cloud.conf texts. Rebuilt whenever the Go sources change.
 *
 *   const [r] = await gcfgParseMany(['[Global]\nauth-url="https://k:5000/v3"\n']);
 *   r.ok; r.global['auth-url'];        // OCCM (pkg/openstack Config)
 *   r.csi.ok; r.csi.sections['Global "two"'];   // Cinder CSI (Global is a map)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConfValueOut, DecodedConf } from '../../src/core/gcfg/schema';

/**
 * What the checker prints per consumer: the same shape as the TypeScript model's `DecodedConf`
 * (ok, gcfg's error text, `[Global]` keys, other sections with keys set: `LoadBalancer`,
 * `LoadBalancerClass "name"`, `Global "name"` for Cinder CSI, the name as gcfg unquoted it).
 * Values: strings; booleans; integers and durations (nanoseconds) as decimal strings; lists.
 */
export type GcfgParsed = DecodedConf;
export type GcfgValue = ConfValueOut;

export interface GcfgResult extends GcfgParsed {
  /** The same text read into Cinder CSI's Config. */
  readonly csi: GcfgParsed;
}

const SOURCES = path.join(__dirname, 'gcfg-checker');
const GOCODE = '/usr/share/gocode';
const FILES: Record<string, string> = {
  'main.go': 'src/gcfg-checker/main.go',
  'gophercloud/availability.go': 'src/github.com/gophercloud/gophercloud/availability.go',
  'openstack/lbclass.go': 'src/k8s.io/cloud-provider-openstack/pkg/openstack/lbclass.go',
};

let built: string | undefined;

/** Path of the built checker, building it if its sources changed. Throws a clear error if Go or gcfg is missing. */
export function gcfgCheckerPath(): string {
  if (built) return built;
  const hash = createHash('sha256');
  for (const f of Object.keys(FILES)) hash.update(f).update(fs.readFileSync(path.join(SOURCES, f)));
  const dir = path.join(os.homedir(), '.cache', 'cluster-stacks', 'gcfg-checker', hash.digest('hex').slice(0, 16));
  const bin = path.join(dir, 'gcfg-checker');
  if (!fs.existsSync(bin)) build(dir, bin);
  built = bin;
  return bin;
}

function build(dir: string, bin: string): void {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      'gcfg conformance checker: the Go toolchain is missing (`go` not on PATH). Install the Debian package golang-go (scripts/system-deps.sh).',
    );
  }
  if (!fs.existsSync(path.join(GOCODE, 'src/gopkg.in/gcfg.v1/read.go'))) {
    throw new Error(
      `gcfg conformance checker: gopkg.in/gcfg.v1 is missing under ${GOCODE}. Install the Debian package golang-gopkg-gcfg.v1-dev (scripts/system-deps.sh).`,
    );
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Build in a private temporary GOPATH and move the result into place, so concurrent test runs never see half a binary.
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), 'build-'));
  try {
    for (const [from, to] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(tmp, to)), { recursive: true });
      fs.copyFileSync(path.join(SOURCES, from), path.join(tmp, to));
    }
    const out = path.join(tmp, 'gcfg-checker');
    const r = spawnSync('go', ['build', '-o', out, '.'], {
      cwd: path.join(tmp, 'src/gcfg-checker'),
      encoding: 'utf8',
      env: {
        ...process.env,
        GOPATH: `${tmp}${path.delimiter}${GOCODE}`,
        GO111MODULE: 'off',
        GOCACHE: path.join(tmp, 'cache'),
        GOFLAGS: '',
      },
    });
    if (r.status !== 0) throw new Error(`gcfg conformance checker: go build failed:\n${r.stderr}${r.stdout}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(out, bin);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Parses every text with the real gcfg, as OCCM and as Cinder CSI; one checker process per call. */
export async function gcfgParseMany(texts: readonly (string | Uint8Array)[]): Promise<GcfgResult[]> {
  const bin = gcfgCheckerPath();
  const input = JSON.stringify(texts.map((t) => Buffer.from(typeof t === 'string' ? Buffer.from(t, 'utf8') : t).toString('base64')));
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (c) =>
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: c }),
    );
    child.stdin.end(input);
  });
  if (code !== 0) throw new Error(`gcfg conformance checker exited with ${code}: ${stderr}`);
  const results = JSON.parse(stdout) as GcfgResult[];
  if (results.length !== texts.length)
    throw new Error(`gcfg conformance checker returned ${results.length} results for ${texts.length} texts`);
  return results;
}
