/**
 * One real Keystone (test/keystone) for the whole identity stage: started by the first suite that
 * asks for it, stopped by the root hook below (loaded through .mocharc.json), so the stage pays the
 * start once. Also the helpers the suites share: clouds.yaml files and the CLI with captured output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump } from 'js-yaml';
import { run } from '../../src/cli/run';
import { startKeystone, type Keystone } from '../keystone/harness';

let shared: Promise<Keystone> | undefined;
const dirs: string[] = [];
/** Everything the CLI printed in this stage, to search for secrets and tokens at the end. */
export const printed: string[] = [];

export function sharedKeystone(): Promise<Keystone> {
  shared ??= startKeystone().then((ks) => {
    console.log(`      (Keystone started in ${(ks.startMs / 1000).toFixed(1)} s)`);
    return ks;
  });
  return shared;
}

export const mochaHooks = {
  async afterAll(): Promise<void> {
    if (shared) await (await shared).stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  },
};

export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-identity-'));
  dirs.push(d);
  return d;
}

/** Writes a clouds.yaml with one cloud (every string double-quoted) and returns its path. */
export function writeClouds(dir: string, entry: Record<string, unknown>, cloud = 'test'): string {
  const file = path.join(dir, `clouds-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, dump({ clouds: { [cloud]: entry } }, { forceQuotes: true, quotingType: '"', lineWidth: -1 }));
  return file;
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(args: string[], cwd: string): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await run(args, { env: {}, cwd, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  printed.push(out, err);
  return { code, out, err };
}
