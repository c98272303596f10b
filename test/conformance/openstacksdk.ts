/**
 * The openstacksdk oracle for tests: runs test/conformance/oracle.py with the system python3 and
 * Debian's python3-openstacksdk on a batch of clouds.yaml inputs (no network).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface OracleCase {
  readonly name: string;
  readonly clouds: string;
  readonly secure?: string;
  readonly public?: string;
  readonly cloud: string;
}

export interface OracleResult {
  readonly name: string;
  readonly ok: boolean;
  /** keystoneauth could build the auth plugin (else the config was read with validate=False). */
  readonly validated?: boolean;
  readonly error?: string;
  readonly auth?: Readonly<Record<string, string | boolean | null>>;
  readonly region_name?: string;
  readonly interface?: string | null;
  readonly auth_type?: string | null;
  readonly verify?: boolean | string | null;
  readonly insecure?: boolean | string | null;
  readonly cacert?: string | null;
}

export const PYTHON = '/usr/bin/python3';

/** Resolves every case as openstacksdk's `OpenStackConfig.get_one` does. Throws a clear error when python3-openstacksdk is missing. */
export function openstacksdkResolve(cases: readonly OracleCase[]): OracleResult[] {
  const r = spawnSync(PYTHON, [path.join(__dirname, 'oracle.py')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) {
    throw new Error(
      `openstacksdk oracle failed (is the Debian package python3-openstacksdk installed? scripts/system-deps.sh): ${r.error?.message ?? r.stderr}`,
    );
  }
  return JSON.parse(r.stdout) as OracleResult[];
}
