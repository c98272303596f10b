/**
 * Builds the Go oracles of the conformance tests against Debian's Go packages (GOPATH mode:
 * `GOPATH=<tmp>:/usr/share/gocode GO111MODULE=off go build`), once per hash of their sources, into
 * ~/.cache/cluster-stacks/<name>/<hash>/<name>. Binaries are never written into the repository.
 * `runBatch` runs an oracle on one JSON batch (stdin) and reads its JSON array of results (stdout).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const GOCODE = '/usr/share/gocode';

export interface GoProgram {
  /** Binary and cache folder name; the program is built in `src/<name>` of the temporary GOPATH. */
  readonly name: string;
  /** Folder of the sources in the repository. */
  readonly sources: string;
  /** Source file (relative to `sources`) → where it goes in the temporary GOPATH. */
  readonly files: Readonly<Record<string, string>>;
  /** Import paths under /usr/share/gocode/src that must exist, each with the Debian package that has it. */
  readonly needs: readonly { readonly importPath: string; readonly file: string; readonly pkg: string }[];
}

const built = new Map<string, string>();

/** Path of the built program, building it if its sources changed. Throws a clear error when Go or a package is missing. */
export function goBinary(p: GoProgram): string {
  const known = built.get(p.name);
  if (known) return known;
  const hash = createHash('sha256');
  for (const f of Object.keys(p.files)) hash.update(f).update(fs.readFileSync(path.join(p.sources, f)));
  const dir = path.join(os.homedir(), '.cache', 'cluster-stacks', p.name, hash.digest('hex').slice(0, 16));
  const bin = path.join(dir, p.name);
  if (!fs.existsSync(bin)) build(p, dir, bin);
  built.set(p.name, bin);
  return bin;
}

function build(p: GoProgram, dir: string, bin: string): void {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      `${p.name}: the Go toolchain is missing (\`go\` not on PATH). Install the Debian package golang-go (scripts/system-deps.sh).`,
    );
  }
  for (const n of p.needs) {
    if (!fs.existsSync(path.join(GOCODE, 'src', n.importPath, n.file))) {
      throw new Error(
        `${p.name}: ${n.importPath} is missing under ${GOCODE}. Install the Debian package ${n.pkg} (scripts/system-deps.sh).`,
      );
    }
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Build in a private temporary GOPATH and move the result into place, so concurrent test runs never see half a binary.
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), 'build-'));
  try {
    for (const [from, to] of Object.entries(p.files)) {
      fs.mkdirSync(path.dirname(path.join(tmp, to)), { recursive: true });
      fs.copyFileSync(path.join(p.sources, from), path.join(tmp, to));
    }
    const out = path.join(tmp, p.name);
    const r = spawnSync('go', ['build', '-o', out, '.'], {
      cwd: path.join(tmp, 'src', p.name),
      encoding: 'utf8',
      env: {
        ...process.env,
        GOPATH: `${tmp}${path.delimiter}${GOCODE}`,
        GO111MODULE: 'off',
        GOCACHE: path.join(os.homedir(), '.cache', 'cluster-stacks', 'go-build'),
        GOFLAGS: '',
      },
    });
    if (r.status !== 0) throw new Error(`${p.name}: go build failed:\n${r.stderr}${r.stdout}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(out, bin);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs `cmd` with `stdin`, expects exit 0 and a JSON array of `expected` results on stdout. */
export async function runBatch<T>(
  cmd: string,
  args: readonly string[],
  stdin: string,
  what: string,
  expected: number,
  env?: NodeJS.ProcessEnv,
): Promise<T[]> {
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 300_000, ...(env ? { env } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (c) =>
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: c }),
    );
    child.stdin.end(stdin);
  });
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${stderr.slice(-2000)}`);
  const results = JSON.parse(stdout) as T[];
  if (results.length !== expected) throw new Error(`${what} returned ${results.length} results for ${expected} inputs`);
  return results;
}
