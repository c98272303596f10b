// What a workload cluster of an SCS OpenStack cluster stack runs in kube-system for credentials: the OpenStack
// cloud-controller-manager DaemonSet and the Cinder CSI controller Deployment and node DaemonSet, as the
// kubernetes/cloud-provider-openstack@c453fb7 Helm charts render them (chart version 2.36.0) with the release
// name the cluster-stack operator templates cluster addons with (`cluster-addon`,
// SovereignCloudStack/cluster-stack-operator@b3680fb internal/controller/clusteraddon_controller.go:1263):
//   charts/openstack-cloud-controller-manager/templates/_helpers.tpl (occm.*matchLabels / labels),
//     templates/daemonset.yaml (name, selector, nodeSelector for control-plane nodes, RollingUpdate, cloud-config secret);
//     metadata labels from bitnami common's common.labels.standard (a chart dependency, not mirrored here);
//   charts/cinder-csi-plugin/templates/_helpers.tpl (cinder-csi.controllerplugin/nodeplugin labels),
//     controllerplugin-deployment.yaml, nodeplugin-daemonset.yaml, values.yaml (1 replica, maxUnavailable 0 / maxSurge 1).
// Containers are reduced to one per workload (the charts add the CSI sidecars); their images are the charts' defaults.
// Plus the Nodes a topology Cluster has (control-plane nodes carry node-role.kubernetes.io/control-plane).
import type { KubeObject } from './store';

const OCCM_CHART = 'openstack-cloud-controller-manager-2.36.0';
const CSI_CHART = 'openstack-cinder-csi-2.36.0';

export function openstackAddons(release = 'cluster-addon', namespace = 'kube-system'): KubeObject[] {
  const occmMatch = { component: 'controllermanager', app: 'openstack-cloud-controller-manager', release };
  const csi = (component: string) => ({ component, app: 'openstack-cinder-csi', release });
  const csiLabels = (component: string) => ({ ...csi(component), chart: CSI_CHART, heritage: 'Helm' });
  const container = (name: string, image: string) => ({
    name,
    image,
    volumeMounts: [{ name: 'cloud-config-volume', mountPath: '/etc/config', readOnly: true }],
  });
  // OCCM's chart mounts the Secret `secret.name` (default `cloud-config`); Cinder CSI's chart mounts the host's
  // cloud.conf unless `secret.enabled` — here both use kube-system/cloud-config, the Secret a credentials push writes.
  const volumes = () => [{ name: 'cloud-config-volume', secret: { secretName: 'cloud-config' } }];
  const occm = container('openstack-cloud-controller-manager', 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.36.0');
  const plugin = container('cinder-csi-plugin', 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.36.0');
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: 'openstack-cloud-controller-manager',
        namespace,
        labels: {
          'app.kubernetes.io/name': 'openstack-cloud-controller-manager',
          'helm.sh/chart': OCCM_CHART,
          'app.kubernetes.io/instance': release,
          'app.kubernetes.io/managed-by': 'Helm',
        },
      },
      spec: {
        selector: { matchLabels: occmMatch },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: { ...occmMatch, chart: OCCM_CHART, heritage: 'Helm' } },
          spec: {
            nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
            tolerations: [
              { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' },
              { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
            ],
            serviceAccountName: 'openstack-cloud-controller-manager',
            containers: [occm],
            volumes: volumes(),
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'openstack-cinder-csi-controllerplugin', namespace, labels: csiLabels('controllerplugin') },
      spec: {
        replicas: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        selector: { matchLabels: csi('controllerplugin') },
        template: {
          metadata: { labels: csiLabels('controllerplugin') },
          spec: { serviceAccount: 'csi-cinder-controller-sa', containers: [plugin], volumes: volumes() },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'openstack-cinder-csi-nodeplugin', namespace, labels: csiLabels('nodeplugin') },
      spec: {
        selector: { matchLabels: csi('nodeplugin') },
        template: {
          metadata: { labels: csiLabels('nodeplugin') },
          spec: {
            serviceAccount: 'csi-cinder-node-sa',
            hostNetwork: true,
            tolerations: [{ operator: 'Exists' }],
            containers: [plugin],
            volumes: volumes(),
          },
        },
      },
    },
  ];
}

/** Nodes for a topology Cluster: its control-plane replicas and each MachineDeployment's replicas, at its version. */
export function nodesFor(cluster: KubeObject): KubeObject[] {
  const topo = cluster.spec?.topology ?? {};
  const version = String(topo.version ?? 'v1.33.4');
  const name: string = cluster.metadata.name;
  const node = (n: string, cp: boolean): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n,
      labels: { 'kubernetes.io/hostname': n, 'kubernetes.io/os': 'linux', ...(cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}) },
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { kubeletVersion: version, operatingSystem: 'linux', architecture: 'amd64' },
    },
  });
  const out: KubeObject[] = [];
  for (let i = 0; i < (topo.controlPlane?.replicas ?? 1); i++) out.push(node(`${name}-control-plane-${i}`, true));
  for (const md of (topo.workers?.machineDeployments ?? []) as KubeObject[])
    for (let i = 0; i < (md.replicas ?? 1); i++) out.push(node(`${name}-${md.name}-${i}`, false));
  return out;
}
