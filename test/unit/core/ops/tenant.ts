/**
 * A tenant for the cluster-action tests, derived from the repository fixtures: the scs2 README Cluster
 * (class openstack-scs2-1-33-v1, v1.33.4, namespace `cluster`), the scs2 ClusterStack, ClusterStackReleases
 * copied from the ready/downloading fixtures under other names and versions, and ClusterClasses copied
 * from the rendered scs2 1-34 ClusterClass under the names the operator would give them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { KubeObject } from '../../../../src/core/capi/types';

export const FIXTURES = path.resolve(__dirname, '../../../fixtures');

export function fixture(rel: string): KubeObject {
  return yaml.load(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as KubeObject;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export const NS = 'cluster';

/** A ClusterClass named `name` (the scs2 fixture's content), optionally with `spec` fields merged in. */
export function clusterClass(name: string, extraSpec: Record<string, unknown> = {}): KubeObject {
  const cc = clone(fixture('clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml')) as KubeObject & {
    spec: Record<string, unknown>;
  };
  cc.metadata = { ...cc.metadata, name, namespace: NS };
  Object.assign(cc.spec, extraSpec);
  return cc;
}

export function readyRelease(name: string, kubernetesVersion: string): KubeObject {
  const r = clone(fixture('clusterstack/scs2-clusterstackrelease-ready-derived.yaml')) as KubeObject & { status: Record<string, unknown> };
  r.metadata = { ...r.metadata, name, namespace: NS };
  r.status.kubernetesVersion = kubernetesVersion;
  return r;
}

export function downloadingRelease(name: string): KubeObject {
  const r = clone(fixture('clusterstack/scs2-clusterstackrelease-downloading-derived.yaml'));
  r.metadata = { ...r.metadata, name, namespace: NS };
  return r;
}

export function cluster(apiVersion: 'v1beta1' | 'v1beta2' = 'v1beta1'): KubeObject {
  const c = clone(
    fixture(apiVersion === 'v1beta1' ? 'topology/scs2-readme-cluster-v1beta1.yaml' : 'topology/scs2-readme-cluster-v1beta2-derived.yaml'),
  );
  c.metadata = { ...c.metadata, resourceVersion: '4711', uid: 'c0ffee00-0000-4000-8000-000000000001' };
  return c;
}

/** The scs2 stack at 1.32 … 1.35: v1, v2 ready and v3 downloading for 1.33; v1 for the other minors. */
export function tenant(): { clusterStacks: KubeObject[]; releases: KubeObject[]; clusterClasses: KubeObject[] } {
  const stack = clone(fixture('clusterstack/scs2-clusterstack-v1-ready-v2-downloading-derived.yaml')) as KubeObject & {
    spec: { versions: string[] };
  };
  stack.spec.versions = ['v1', 'v2', 'v3'];
  return {
    clusterStacks: [stack],
    releases: [
      readyRelease('openstack-scs2-1-32-v1', 'v1.32.7'),
      readyRelease('openstack-scs2-1-33-v1', 'v1.33.4'),
      readyRelease('openstack-scs2-1-33-v2', 'v1.33.6'),
      downloadingRelease('openstack-scs2-1-33-v3'),
      readyRelease('openstack-scs2-1-34-v1', 'v1.34.2'),
      readyRelease('openstack-scs2-1-35-v1', 'v1.35.0'),
    ],
    clusterClasses: ['1-32-v1', '1-33-v1', '1-33-v2', '1-34-v1', '1-35-v1'].map((s) => clusterClass(`openstack-scs2-${s}`)),
  };
}
