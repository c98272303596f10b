/**
 * Runs one of the Python oracles in this folder with the system python3 (Debian's packages, see
 * scripts/system-deps.sh): JSON in on stdin, JSON out on stdout, a clear error naming the package when
 * the oracle cannot run.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const PYTHON = '/usr/bin/python3';

export function runPythonOracle<T>(script: string, input: unknown, debianPackage: string, timeoutMs = 240_000): T {
  const r = spawnSync(PYTHON, [path.join(__dirname, script)], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs,
  });
  if (r.error || r.status !== 0)
    throw new Error(
      `${script} failed (is the Debian package ${debianPackage} installed? scripts/system-deps.sh): ${r.error?.message ?? r.stderr}`,
    );
  return JSON.parse(r.stdout) as T;
}
