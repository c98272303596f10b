/**
 * The real gcfg oracle for tests: builds test/conformance/gcfg-checker (Go + Debian's
 * golang-gopkg-gcfg.v1-dev, see go.ts) once per hash of its sources and runs it on batches of
 * cloud.conf texts.
 *
 *   const [r] = await gcfgParseMany(['[Global]\nauth-url="https://k:5000/v3"\n']);
 *   r.ok; r.global['auth-url'];        // OCCM (pkg/openstack Config)
 *   r.csi.ok; r.csi.sections['Global "two"'];   // Cinder CSI (Global is a map)
 */
import * as path from 'node:path';
import type { ConfValueOut, DecodedConf } from '../../src/core/gcfg/decode';
import { goBinary, runBatch, type GoProgram } from './go';

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

const CHECKER: GoProgram = {
  name: 'gcfg-checker',
  sources: path.join(__dirname, 'gcfg-checker'),
  files: {
    'main.go': 'src/gcfg-checker/main.go',
    'gophercloud/availability.go': 'src/github.com/gophercloud/gophercloud/availability.go',
    'openstack/lbclass.go': 'src/k8s.io/cloud-provider-openstack/pkg/openstack/lbclass.go',
  },
  needs: [{ importPath: 'gopkg.in/gcfg.v1', file: 'read.go', pkg: 'golang-gopkg-gcfg.v1-dev' }],
};

/** Path of the built checker, building it if its sources changed. Throws a clear error if Go or gcfg is missing. */
export function gcfgCheckerPath(): string {
  return goBinary(CHECKER);
}

/** Parses every text with the real gcfg, as OCCM and as Cinder CSI; one checker process per call. */
export async function gcfgParseMany(texts: readonly (string | Uint8Array)[]): Promise<GcfgResult[]> {
  const bin = gcfgCheckerPath();
  const input = JSON.stringify(texts.map((t) => Buffer.from(typeof t === 'string' ? Buffer.from(t, 'utf8') : t).toString('base64')));
  return runBatch<GcfgResult>(bin, [], input, 'gcfg conformance checker', texts.length);
}
