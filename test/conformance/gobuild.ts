/**
 * Builds a small Go oracle of test/conformance (GOPATH mode, Debian's Go packages under /usr/share/gocode) once into
 * ~/.cache/cluster-stacks/<name>/<hash of its sources>/, and runs it on a JSON batch. Rebuilt whenever its sources change.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const GOCODE = '/usr/share/gocode';

export interface GoOracle {
  /** Directory name under test/conformance and under the cache. */
  readonly name: string;
  /** Source file (relative to test/conformance/<name>) → path inside the build GOPATH. */
  readonly files: Readonly<Record<string, string>>;
  /** Package directory inside the GOPATH that `go build` runs in. */
  readonly main: string;
  /** Go sources of Debian packages it needs (relative to /usr/share/gocode) → the package to name when one is missing. */
  readonly needs: Readonly<Record<string, string>>;
}

const built = new Map<string, string>();

/** Path of the built oracle, building it if its sources changed. Throws a clear error if Go or a package is missing. */
export function goOraclePath(o: GoOracle): string {
  const cached = built.get(o.name);
  if (cached) return cached;
  const sources = path.join(__dirname, o.name);
  const hash = createHash('sha256');
  for (const f of Object.keys(o.files)) hash.update(f).update(fs.readFileSync(path.join(sources, f)));
  const dir = path.join(os.homedir(), '.cache', 'cluster-stacks', o.name, hash.digest('hex').slice(0, 16));
  const bin = path.join(dir, o.name);
  if (!fs.existsSync(bin)) build(o, sources, dir, bin);
  built.set(o.name, bin);
  return bin;
}

function build(o: GoOracle, sources: string, dir: string, bin: string): void {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      `${o.name}: the Go toolchain is missing (\`go\` not on PATH). Install the Debian package golang-go (scripts/system-deps.sh).`,
    );
  }
  for (const [file, pkg] of Object.entries(o.needs)) {
    if (!fs.existsSync(path.join(GOCODE, file)))
      throw new Error(`${o.name}: ${file} is missing under ${GOCODE}. Install the Debian package ${pkg}.`);
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Build in a private temporary GOPATH and move the result into place, so concurrent test runs never see half a binary.
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), 'build-'));
  try {
    for (const [from, to] of Object.entries(o.files)) {
      fs.mkdirSync(path.dirname(path.join(tmp, to)), { recursive: true });
      fs.copyFileSync(path.join(sources, from), path.join(tmp, to));
    }
    const out = path.join(tmp, o.name);
    const r = spawnSync('go', ['build', '-o', out, '.'], {
      cwd: path.join(tmp, o.main),
      encoding: 'utf8',
      env: {
        ...process.env,
        GOPATH: `${tmp}${path.delimiter}${GOCODE}`,
        GO111MODULE: 'off',
        GOCACHE: path.join(tmp, 'cache'),
        GOFLAGS: '',
      },
    });
    if (r.status !== 0) throw new Error(`${o.name}: go build failed:\n${r.stderr}${r.stdout}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(out, bin);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs the oracle on base64-encoded inputs (one process per call) and returns its JSON array, one result per input. */
export async function runGoOracle<T>(o: GoOracle, inputs: readonly (string | Uint8Array)[]): Promise<T[]> {
  const bin = goOraclePath(o);
  const input = JSON.stringify(inputs.map((t) => Buffer.from(typeof t === 'string' ? Buffer.from(t, 'utf8') : t).toString('base64')));
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
  if (code !== 0) throw new Error(`${o.name} exited with ${code}: ${stderr}`);
  const results = JSON.parse(stdout) as T[];
  if (results.length !== inputs.length) throw new Error(`${o.name} returned ${results.length} results for ${inputs.length} inputs`);
  return results;
}
