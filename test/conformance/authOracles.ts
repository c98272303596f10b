/**
 * The authentication oracles for the tests against the real Keystone: the consumers' own clients,
 * run on the files our converter wrote.
 *   occmAuthenticate  test/conformance/occm-auth (Go: gcfg + gophercloud + gophercloud-utils'
 *                     clientconfig, as the OpenStack CCM and Cinder CSI read cloud.conf, `use-clouds` too)
 *   sdkAuthenticate   test/conformance/sdk_auth.py (openstacksdk / keystoneauth from a clouds.yaml)
 * Both print no token; each reports the endpoints of the consumer services it found.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { goBinary, type GoProgram } from './go';
import { PYTHON } from './openstacksdk';

export interface OracleEndpoint {
  readonly url?: string;
  readonly error?: string;
}

export interface AuthOutcome {
  /** Authenticated, and every endpoint the consumers need was found. */
  readonly ok: boolean;
  /** Where it failed: config, client, auth, endpoints. */
  readonly stage?: string;
  readonly error?: string;
  readonly project?: { readonly id: string; readonly name: string } | null;
  readonly user?: { readonly id: string; readonly name: string };
  readonly roles?: readonly string[];
  readonly loadBalancerEnabled?: boolean;
  readonly endpoints?: Readonly<Record<string, OracleEndpoint>>;
}

export interface OccmCase {
  /** Path of the cloud.conf. */
  readonly conf: string;
  /** Pod mount path → local directory, for `ca-file` and `clouds-file`. */
  readonly mounts?: Readonly<Record<string, string>>;
}

const OCCM_AUTH: GoProgram = {
  name: 'occm-auth',
  sources: path.join(__dirname, 'occm-auth'),
  files: { 'main.go': 'src/occm-auth/main.go' },
  needs: [
    { importPath: 'gopkg.in/gcfg.v1', file: 'read.go', pkg: 'golang-gopkg-gcfg.v1-dev' },
    { importPath: 'github.com/gophercloud/gophercloud', file: 'auth_options.go', pkg: 'golang-github-gophercloud-gophercloud-dev' },
    { importPath: 'github.com/gophercloud/utils/openstack/clientconfig', file: 'requests.go', pkg: 'golang-github-gophercloud-utils-dev' },
  ],
};

/** Builds the Go oracle now (tens of seconds the first time), so a test's own timeout does not include it. */
export function buildOccmAuth(): void {
  goBinary(OCCM_AUTH);
}

export async function occmAuthenticate(cases: readonly OccmCase[]): Promise<AuthOutcome[]> {
  return runJson(goBinary(OCCM_AUTH), [], cases, 'occm-auth', cases.length);
}

export interface SdkCase {
  /** Path of the clouds.yaml. */
  readonly clouds: string;
  readonly cloud: string;
}

export async function sdkAuthenticate(cases: readonly SdkCase[]): Promise<AuthOutcome[]> {
  return runJson(PYTHON, [path.join(__dirname, 'sdk_auth.py')], cases, 'openstacksdk auth oracle (python3-openstacksdk)', cases.length);
}

async function runJson(cmd: string, args: string[], input: unknown, what: string, n: number): Promise<AuthOutcome[]> {
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 120_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (c) =>
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: c }),
    );
    child.stdin.end(JSON.stringify(input));
  });
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${stderr.slice(-2000)}`);
  const results = JSON.parse(stdout) as AuthOutcome[];
  if (results.length !== n) throw new Error(`${what} returned ${results.length} results for ${n} cases`);
  return results;
}
