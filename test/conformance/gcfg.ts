/**
 * The real gcfg oracle for tests: builds test/conformance/gcfg-checker (Go + Debian's
 * golang-gopkg-gcfg.v1-dev) once into ~/.cache/cluster-stacks/gcfg-checker/<hash of its sources>/
 * and runs it on batches of cloud.conf texts. Rebuilt whenever the Go sources change.
 *
 *   const [r] = await gcfgParseMany(['[Global]\nauth-url="https://k:5000/v3"\n']);
 *   r.ok; r.global['auth-url'];        // OCCM (pkg/openstack Config)
 *   r.csi.ok; r.csi.sections['Global "two"'];   // Cinder CSI (Global is a map)
 */
import type { ConfValueOut, DecodedConf } from '../../src/core/gcfg/schema';
import { runGoOracle, type GoOracle } from './gobuild';

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

const CHECKER: GoOracle = {
  name: 'gcfg-checker',
  files: {
    'main.go': 'src/gcfg-checker/main.go',
    'gophercloud/availability.go': 'src/github.com/gophercloud/gophercloud/availability.go',
    'openstack/lbclass.go': 'src/k8s.io/cloud-provider-openstack/pkg/openstack/lbclass.go',
  },
  main: 'src/gcfg-checker',
  needs: { 'src/gopkg.in/gcfg.v1/read.go': 'golang-gopkg-gcfg.v1-dev (scripts/system-deps.sh)' },
};

/** Parses every text with the real gcfg, as OCCM and as Cinder CSI; one checker process per call. */
export function gcfgParseMany(texts: readonly (string | Uint8Array)[]): Promise<GcfgResult[]> {
  return runGoOracle<GcfgResult>(CHECKER, texts);
}
