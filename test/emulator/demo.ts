// The demo landscape behind `npm run emulator -- --demo`: one SCS management cluster with three tenants
// built from the real/derived objects in test/fixtures (renamed into the tenants), and one emulator
// per provisioned workload cluster, reachable through its `<cluster>-kubeconfig` Secret. Each workload
// cluster has Nodes for its topology and the OpenStack CCM and Cinder CSI workloads in kube-system
// (openstackAddons.ts). With `controllers` (the default) the controller models run on it: the
// ClusterResourceSet controller, the cluster-stack operator and the topology/cluster controllers — the
// latter only for the clusters the demo brings to life (`ordered` bootstraps, `cs-held` is upgrading behind
// the operator's BeforeClusterUpgrade hook); the clusters that show captured states keep them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterCache } from './clusterCache';
import { ControllerClient } from './controllerClient';
import { CrsController } from './crsController';
import { beforeClusterUpgradeHook, CsoModel } from './csoController';
import { FIXTURES_DIR, loadYamlObjects } from './fixtures';
import { Emulator, KubeObject, startEmulator } from './index';
import { nodesFor, openstackAddons } from './openstackAddons';
import { TopologyController } from './topologyController';

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
  /** The controller models running on the management cluster (undefined with `controllers: false`). */
  controllers?: { crs: CrsController; cso: CsoModel; topology: TopologyController };
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** Run the controller models (default true). */
  controllers?: boolean;
  /** Resync period of the models (default 1000 ms). */
  intervalMs?: number;
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
  {
    file: 'topology/scs2-readme-cluster-v1beta1.yaml',
    namespace: SCS2,
    name: 'ordered',
    mutate: (o) => {
      o.spec.topology.classNamespace = SCS2; // the README's stack namespace is the tenant here
    },
  },
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
  // The healthy cluster once more, asked for the next Kubernetes minor: the topology model holds the upgrade
  // while the cluster-stack operator's hook waits for its ClusterAddon (cluster-stack-operator#272).
  {
    file: 'clusters/v1beta2-scs-topology-healthy-derived.yaml',
    namespace: SCS,
    name: 'cs-held',
    mutate: (o) => {
      o.spec.topology.version = 'v1.32.5';
      o.spec.topology.classRef.name = 'openstack-scs-1-32-v1';
    },
  },
  // the next minor's class for it (the 1.32 fixture class renamed)
  { file: 'clusterclass/openstack-scs-1-32-v1-clusterclass-derived.yaml', namespace: SCS, name: 'openstack-scs-1-33-v1' },
  {
    file: 'clusterstack/scs-clusteraddon-hook-in-progress-derived.yaml',
    namespace: SCS,
    name: 'cluster-addon-cs-held',
    mutate: (o) => {
      o.spec.clusterRef.name = 'cs-held';
    },
  },
  // older clusters (v1alpha3 captures are served as v1beta1; v1beta1 with the v1beta2 status backport)
  { file: 'clusters/v1alpha3-provisioned-healthy.yaml', namespace: LEGACY, name: 'legacy' },
  { file: 'clusters/v1beta1-provisioned-workers-not-available.yaml', namespace: LEGACY, name: 'workers-short' },
  { file: 'clusters/v1alpha3-provisioning-quota-exceeded.yaml', namespace: LEGACY, name: 'quota' },
  { file: 'clusters/v1alpha3-phase-failed.yaml', namespace: LEGACY, name: 'broken' },
  { file: 'clusters/v1alpha3-paused.yaml', namespace: LEGACY, name: 'paused' },
];

/** Clusters that get a live workload emulator; `unreachable` ones get a kubeconfig to a stopped server. */
const WORKLOADS: { namespace: string; name: string; state: string; unreachable?: boolean; stalled?: boolean }[] = [
  { namespace: SCS2, name: 'upgrading', state: 'v1beta1, control plane upgrading' },
  { namespace: SCS, name: 'cs-cluster', state: 'v1beta2, healthy' },
  { namespace: SCS, name: 'cs-edge', state: 'v1beta2, remote connection lost', unreachable: true },
  { namespace: LEGACY, name: 'legacy', state: 'v1beta1 (from v1alpha3), provisioned' },
  { namespace: LEGACY, name: 'workers-short', state: 'v1beta1, workers not available; its pods never become ready', stalled: true },
];

/** The clusters the topology model runs; the others keep the states their fixtures captured. */
const LIVE = new Set([`${SCS2}/ordered`, `${SCS}/cs-held`]);

const OTHER_STATES: Record<string, string> = {
  [`${SCS2}/ordered`]: 'v1beta1, just ordered: the topology model bootstraps it (Pending → Provisioning → Provisioned)',
  [`${SCS}/cs-held`]: 'v1beta2, upgrade to 1.33 held by the BeforeClusterUpgrade hook (ClusterAddon not applied)',
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
    p.mutate?.(o);
    return o;
  });
}

/** Nodes of the Cluster's topology and the OpenStack CCM / Cinder CSI workloads, applied as the operator applies addons. */
async function equipWorkload(workload: Emulator, cluster: KubeObject | undefined): Promise<void> {
  if (cluster) for (const n of nodesFor(cluster)) workload.put(n);
  const client = new ControllerClient(workload, { userAgent: 'cluster-stack-operator' });
  try {
    for (const o of openstackAddons()) await client.apply(o, 'kubectl', true);
  } finally {
    client.close();
  }
}

export async function startDemo(fixtures = DEFAULT_FIXTURES, name = 'scs-demo', options: DemoOptions = {}): Promise<Demo> {
  if (!existsSync(fixtures)) throw new Error(`fixtures directory not found: ${fixtures}`);
  const management = await startEmulator({ name });
  let controllers: Demo['controllers'];
  let closeCache = () => {};
  try {
    for (const ns of [SCS2, SCS, LEGACY]) management.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const p of PLACEMENTS) for (const o of placed(fixtures, p)) management.put(o);
    const clusters: DemoCluster[] = [];
    for (const w of WORKLOADS) {
      const workload = await management.addWorkloadCluster(w.namespace, w.name, { apps: { stepMs: 200, podReadyMs: 1000 } });
      await equipWorkload(workload, management.get('cluster.x-k8s.io/v1beta2', 'Cluster', w.namespace, w.name));
      if (w.stalled) workload.apps.stall(true);
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
    if (options.controllers !== false) {
      const interval = options.intervalMs ?? 1000;
      const cacheClient = new ControllerClient(management);
      const cache = new ClusterCache(cacheClient, 'manager/v1.12.0 cluster-api-controller-manager');
      const topology = new TopologyController(management, {
        cache,
        manages: (c) => LIVE.has(`${c.metadata.namespace}/${c.metadata.name}`),
        hooks: { beforeClusterUpgrade: beforeClusterUpgradeHook(management) },
        provisionWorkload: async (ns, n) => {
          const workload = await management.addWorkloadCluster(ns, n, { apps: { stepMs: 200, podReadyMs: 1000 } });
          await equipWorkload(workload, management.get('cluster.x-k8s.io/v1beta2', 'Cluster', ns, n));
        },
      });
      // The model takes cs-held as it is (provisioned at 1.32), then somebody asks for the next minor.
      await topology.step();
      const user = new ControllerClient(management);
      const held = management.get('cluster.x-k8s.io/v1beta2', 'Cluster', SCS, 'cs-held') as KubeObject;
      await user.mergePatch(held, { spec: { topology: { version: 'v1.33.4', classRef: { name: 'openstack-scs-1-33-v1' } } } });
      user.close();
      controllers = {
        crs: new CrsController(management, { cache }).start(interval),
        cso: new CsoModel(management, { stepMs: interval, fixturesDir: join(fixtures, 'clusterclass') }).start(),
        topology: topology.start(interval),
      };
      closeCache = () => {
        cache.close();
        cacheClient.close();
      };
    }
    const stop = async () => {
      await Promise.all([controllers?.crs.stop(), controllers?.cso.stop(), controllers?.topology.stop()]);
      closeCache();
      await management.stop();
    };
    return { management, tenants: [SCS2, SCS, LEGACY], clusters, tenantAdminToken, controllers, stop };
  } catch (e) {
    await management.stop();
    throw e;
  }
}
