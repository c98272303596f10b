/**
 * The openstacksdk oracle for tests: runs test/conformance/oracle.py with the system python3 and
 * Debian's python3-openstacksdk on a batch of clouds.yaml inputs (no network).
 */
import { runPythonOracle } from './pythonOracle';

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

/** Resolves every case as openstacksdk's `OpenStackConfig.get_one` does. Throws a clear error when python3-openstacksdk is missing. */
export function openstacksdkResolve(cases: readonly OracleCase[]): OracleResult[] {
  return runPythonOracle<OracleResult[]>('oracle.py', cases, 'python3-openstacksdk', 600_000);
}
