/**
 * Builds a Go conformance checker from this repository's sources against Debian's Go packages under
 * /usr/share/gocode (GOPATH mode, no network), once, into ~/.cache/cluster-stacks/<name>/<hash of its
 * sources>/; rebuilt whenever the sources change. Throws a clear error naming the missing package.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const GOCODE = '/usr/share/gocode';

export interface GoChecker {
  readonly name: string;
  /** Folder of the checker's sources in this repository. */
  readonly sources: string;
  /** Source file (relative to `sources`) → its place in the temporary GOPATH; the main package is under src/<name>/. */
  readonly files: Readonly<Record<string, string>>;
  /** Go packages the checker imports: a file that proves the package is there, its import path and Debian package. */
  readonly requires: readonly { readonly file: string; readonly pkg: string; readonly deb: string }[];
}

const built = new Map<string, string>();

export function goCheckerPath(c: GoChecker): string {
  const known = built.get(c.name);
  if (known) return known;
  const hash = createHash('sha256');
  for (const f of Object.keys(c.files)) hash.update(f).update(fs.readFileSync(path.join(c.sources, f)));
  const dir = path.join(os.homedir(), '.cache', 'cluster-stacks', c.name, hash.digest('hex').slice(0, 16));
  const bin = path.join(dir, c.name);
  if (!fs.existsSync(bin)) build(c, dir, bin);
  built.set(c.name, bin);
  return bin;
}

function build(c: GoChecker, dir: string, bin: string): void {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      `${c.name}: the Go toolchain is missing (\`go\` not on PATH). Install the Debian package golang-go (scripts/system-deps.sh).`,
    );
  }
  for (const r of c.requires)
    if (!fs.existsSync(path.join(GOCODE, r.file)))
      throw new Error(`${c.name}: ${r.pkg} is missing under ${GOCODE}. Install the Debian package ${r.deb} (scripts/system-deps.sh).`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Build in a private temporary GOPATH and move the result into place, so concurrent test runs never see half a binary.
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), 'build-'));
  try {
    for (const [from, to] of Object.entries(c.files)) {
      fs.mkdirSync(path.dirname(path.join(tmp, to)), { recursive: true });
      fs.copyFileSync(path.join(c.sources, from), path.join(tmp, to));
    }
    const out = path.join(tmp, c.name);
    const r = spawnSync('go', ['build', '-o', out, '.'], {
      cwd: path.join(tmp, 'src', c.name),
      encoding: 'utf8',
      env: {
        ...process.env,
        GOPATH: `${tmp}${path.delimiter}${GOCODE}`,
        GO111MODULE: 'off',
        GOCACHE: path.join(tmp, 'cache'),
        GOFLAGS: '',
      },
    });
    if (r.status !== 0) throw new Error(`${c.name}: go build failed:\n${r.stderr}${r.stdout}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(out, bin);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
