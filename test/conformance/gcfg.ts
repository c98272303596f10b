/**
 * The real gcfg oracle for tests: builds test/conformance/gcfg-checker (Go + Debian's
 * golang-gopkg-gcfg.v1-dev) once into ~/.cache/cluster-stacks/gcfg-checker/<hash of its sources>/
 * and runs it on batches of cloud.conf texts. Rebuilt whenever the Go sources change.
 *
 *   const [r] = await gcfgParseMany(['[Global]\nauth-url="https://k:5000/v3"\n']);
 *   r.ok; r.global['auth-url'];        // OCCM (pkg/openstack Config)
 *   r.csi.ok; r.csi.sections['Global "two"'];   // Cinder CSI (Global is a map)
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { ConfValueOut, DecodedConf } from '../../src/core/gcfg/schema';
import { goCheckerPath } from './goBuild';

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

/** Path of the built checker (Go + gopkg.in/gcfg.v1 from Debian), rebuilt when its sources change. */
export function gcfgCheckerPath(): string {
  return goCheckerPath({
    name: 'gcfg-checker',
    sources: path.join(__dirname, 'gcfg-checker'),
    files: {
      'main.go': 'src/gcfg-checker/main.go',
      'gophercloud/availability.go': 'src/github.com/gophercloud/gophercloud/availability.go',
    },
    requires: [{ file: 'src/gopkg.in/gcfg.v1/read.go', pkg: 'gopkg.in/gcfg.v1', deb: 'golang-gopkg-gcfg.v1-dev' }],
  });
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
