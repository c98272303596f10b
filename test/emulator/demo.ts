// The demo landscape behind `npm run emulator -- --demo`: one SCS management cluster with three tenants
// built from the real/derived objects in test/fixtures (renamed into the tenants), and one emulator
// per provisioned workload cluster, reachable through its `<cluster>-kubeconfig` Secret.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, loadYamlObjects } from './fixtures';
import { Emulator, KubeObject, startEmulator } from './index';

export const DEFAULT_FIXTURES = FIXTURES_DIR;

export interface DemoCluster {
  namespace: string;
  name: string;
  state: string;
  workload?: Emulator;
  reachable: boolean;
}

export interface Demo {
  management: Emulator;
  tenants: string[];
  clusters: DemoCluster[];
  /** Token of the ServiceAccount `tenant-admin` (admin in `scs2-tenant`), as a CSP would hand out. */
  tenantAdminToken: string;
  stop(): Promise<void>;
}

interface Placement {
  file: string;
  kind?: string;
  namespace: string;
  name?: string;
  mutate?: (o: KubeObject) => void;
}

const SCS2 = 'scs2-tenant';
const SCS = 'scs-tenant';
const LEGACY = 'legacy-tenant';

/** Which fixture object goes where (file relative to the fixtures dir; kind picks one document). */
const PLACEMENTS: Placement[] = [
  // scs2 series (clouds.yaml style, ClusterStack without provider)
  { file: 'clusterstack/scs2-clusterstack-v1-ready-v2-downloading-derived.yaml', namespace: SCS2 },
  { file: 'clusterstack/scs2-clusterstackrelease-ready-derived.yaml', namespace: SCS2 },
  { file: 'clusterstack/scs2-clusterstackrelease-downloading-derived.yaml', namespace: SCS2 },
  // the scs2 ClusterClass fixture is rendered for 1.34; renamed to the release the ClusterStack above produced
  { file: 'clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml', namespace: SCS2, name: 'openstack-scs2-1-33-v1' },
  { file: 'addons/scs2-clusterresourceset-v1beta2-applied-derived.yaml', namespace: SCS2 },
  { file: 'secrets/scs-tenant-openstack-identity-secret-derived.yaml', namespace: SCS2 },
  { file: 'topology/scs2-readme-cluster-v1beta1.yaml', namespace: SCS2, name: 'ordered' },
  { file: 'clusters/v1beta1-topology-controlplane-upgrading.yaml', namespace: SCS2, name: 'upgrading' },
  // scs series (cloud.conf style via csp-helper, ClusterStack with the CSPO provider)
  { file: 'clusterstack/quickstart-clusterstack-with-cspo-template-spec.yaml', namespace: SCS },
  { file: 'clusterclass/openstack-scs-1-32-v1-clusterclass-derived.yaml', namespace: SCS },
  { file: 'secrets/scs-tenant-openstack-identity-secret-derived.yaml', namespace: SCS },
  { file: 'secrets/scs-workload-cluster-cloud-config-resource-set-secret-derived.yaml', namespace: SCS },
  { file: 'addons/scs-csp-helper-clusterresourceset-cloud-config-derived.yaml', namespace: SCS },
  { file: 'clusters/v1beta2-scs-topology-healthy-derived.yaml', namespace: SCS, name: 'cs-cluster' },
  { file: 'clusterstack/scs-clusteraddon-ready-derived.yaml', namespace: SCS },
  { file: 'clusters/v1beta2-scs-topology-deleting-derived.yaml', namespace: SCS, name: 'cs-retired' },
  { file: 'clusters/v1beta2-scs-topology-remote-connection-lost-derived.yaml', namespace: SCS, name: 'cs-edge' },
  // older clusters (v1alpha3 captures are served as v1beta1; v1beta1 with the v1beta2 status backport)
  { file: 'clusters/v1alpha3-provisioned-healthy.yaml', namespace: LEGACY, name: 'legacy' },
  { file: 'clusters/v1beta1-provisioned-workers-not-available.yaml', namespace: LEGACY, name: 'workers-short' },
  { file: 'clusters/v1alpha3-provisioning-quota-exceeded.yaml', namespace: LEGACY, name: 'quota' },
  { file: 'clusters/v1alpha3-phase-failed.yaml', namespace: LEGACY, name: 'broken' },
  { file: 'clusters/v1alpha3-paused.yaml', namespace: LEGACY, name: 'paused' },
];

/** Clusters that get a live workload emulator; `unreachable` ones get a kubeconfig to a stopped server. */
const WORKLOADS: { namespace: string; name: string; state: string; unreachable?: boolean }[] = [
  { namespace: SCS2, name: 'upgrading', state: 'v1beta1, control plane upgrading' },
  { namespace: SCS, name: 'cs-cluster', state: 'v1beta2, healthy' },
  { namespace: SCS, name: 'cs-edge', state: 'v1beta2, remote connection lost', unreachable: true },
  { namespace: LEGACY, name: 'legacy', state: 'v1beta1 (from v1alpha3), provisioned' },
  { namespace: LEGACY, name: 'workers-short', state: 'v1beta1, workers not available' },
];

const OTHER_STATES: Record<string, string> = {
  [`${SCS2}/ordered`]: 'v1beta1, just ordered (no status)',
  [`${SCS}/cs-retired`]: 'v1beta2, deleting',
  [`${LEGACY}/quota`]: 'v1beta1, provisioning (quota exceeded)',
  [`${LEGACY}/broken`]: 'v1beta1, failed',
  [`${LEGACY}/paused`]: 'v1beta1, paused',
};

function placed(fixtures: string, p: Placement): KubeObject[] {
  return loadYamlObjects(join(fixtures, p.file)).map(({ object }) => {
    const o: KubeObject = JSON.parse(JSON.stringify(object));
    o.metadata = { ...o.metadata, namespace: p.namespace };
    if (p.name) o.metadata.name = p.name;
    for (const k of ['uid', 'resourceVersion', 'managedFields']) delete o.metadata[k];
    if (o.kind === 'ClusterAddon' && o.spec?.clusterRef) o.spec.clusterRef.namespace = p.namespace;
    return o;
  });
}

export async function startDemo(fixtures = DEFAULT_FIXTURES, name = 'scs-demo'): Promise<Demo> {
  if (!existsSync(fixtures)) throw new Error(`fixtures directory not found: ${fixtures}`);
  const management = await startEmulator({ name });
  try {
    for (const ns of [SCS2, SCS, LEGACY]) management.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const p of PLACEMENTS) for (const o of placed(fixtures, p)) management.put(o);
    const clusters: DemoCluster[] = [];
    for (const w of WORKLOADS) {
      const workload = await management.addWorkloadCluster(w.namespace, w.name);
      workload.put({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'clouds-yaml', namespace: 'kube-system' },
        stringData: {
          'clouds.yaml':
            'clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_id: REDACTED-ID\n      application_credential_secret: REDACTED-SECRET\n    region_name: RegionOne\n',
        },
      });
      if (w.unreachable) await workload.stop();
      clusters.push({ namespace: w.namespace, name: w.name, state: w.state, workload, reachable: !w.unreachable });
    }
    for (const [key, state] of Object.entries(OTHER_STATES)) {
      const [namespace, n] = key.split('/');
      clusters.push({ namespace, name: n, state, reachable: false });
    }
    const tenantAdminToken = management.serviceAccountToken(SCS2, 'tenant-admin');
    management.put({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'tenant-admin', namespace: SCS2 },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'tenant-admin', namespace: SCS2 }],
    });
    return { management, tenants: [SCS2, SCS, LEGACY], clusters, tenantAdminToken, stop: () => management.stop() };
  } catch (e) {
    await management.stop();
    throw e;
  }
}
