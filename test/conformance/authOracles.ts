/**
 * The authentication oracles for the tests against the real Keystone: the consumers' own clients,
 * run on the files our converter wrote.
 *   occmAuthenticate  test/conformance/occm-auth (Go: gcfg + gophercloud + gophercloud-utils'
 *                     clientconfig, as the OpenStack CCM and Cinder CSI read cloud.conf, `use-clouds` too)
 *   sdkAuthenticate   test/conformance/sdk_auth.py (openstacksdk / keystoneauth from a clouds.yaml)
 * Both print no token; each reports the endpoints of the consumer services it found. They run
 * asynchronously (not through pythonOracle's spawnSync): the TLS terminator they talk to serves from
 * this process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { goBinary, runBatch, type GoProgram } from './go';
import { PYTHON } from './pythonOracle';

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
  /** With `requestOnly`: the token the request asks for (`none`: unscoped, no catalog). */
  readonly scope?: 'project' | 'domain' | 'trust' | 'system' | 'none';
}

export interface OccmCase {
  /** Path of the cloud.conf. */
  readonly conf: string;
  /** Pod mount path → local directory, for `ca-file` and `clouds-file`. */
  readonly mounts?: Readonly<Record<string, string>>;
  /** Build the token request only (no network): does gophercloud accept the credential, for which scope? */
  readonly requestOnly?: boolean;
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

/** The CCM's token request for each cloud.conf text, built offline (fake hosts are fine: nothing is sent). */
export async function occmTokenRequest(texts: readonly string[]): Promise<AuthOutcome[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-occm-request-'));
  try {
    const cases = texts.map((t, i) => {
      const conf = path.join(dir, `${i}.conf`);
      fs.writeFileSync(conf, t);
      return { conf, requestOnly: true };
    });
    return await occmAuthenticate(cases);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface SdkCase {
  /** Path of the clouds.yaml. */
  readonly clouds: string;
  readonly cloud: string;
}

export async function sdkAuthenticate(cases: readonly SdkCase[]): Promise<AuthOutcome[]> {
  return runJson(PYTHON, [path.join(__dirname, 'sdk_auth.py')], cases, 'openstacksdk auth oracle (python3-openstacksdk)', cases.length);
}

function runJson(cmd: string, args: string[], input: unknown, what: string, n: number): Promise<AuthOutcome[]> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8' };
  return runBatch<AuthOutcome>(cmd, args, JSON.stringify(input), what, n, env);
}
