/**
 * The benchmark's data: a clouds.yaml with N application-credential clouds, a multi-document
 * cluster-stack manifest of a given size, and the emulator seed of N tenants × M workload clusters.
 * Each generator also says where the benchmark's edits go and which finding they toggle.
 */
import type { Sentinel, Toggle } from './host/protocol';

export interface Generated {
  readonly text: string;
  readonly toggle: Toggle;
  /** A finding the text always has, so that diagnostics without the toggled one still show the file was analysed. */
  readonly sentinel: Sentinel;
}

/**
 * `n` clouds like an SCS provider's clouds.yaml; the toggle makes one region an unquoted `012345` (CS130,
 * YAML 1.1); the first cloud's `insecure: true` is the sentinel (CS164).
 */
export function cloudsYaml(n: number): Generated {
  const lines = ['clouds:'];
  let toggleLine = -1;
  let sentinelLine = -1;
  for (let i = 0; i < n; i++) {
    lines.push(
      `  cloud-${i}:`,
      '    auth:',
      `      auth_url: "https://keystone${i % 50}.example.com:5000/v3"`,
      `      application_credential_id: "id-${i}"`,
      `      application_credential_secret: "secret-${i}"`,
    );
    if (i === Math.floor(n / 2)) toggleLine = lines.length;
    lines.push(`    region_name: "Region${i % 7}"`, '    auth_type: v3applicationcredential', '    interface: public');
    if (i === 0) {
      sentinelLine = lines.length;
      lines.push('    insecure: true');
    }
  }
  return {
    text: lines.join('\n') + '\n',
    toggle: { line: toggleLine, from: lines[toggleLine], to: '    region_name: 012345', code: 'CS130' },
    sentinel: { line: sentinelLine, code: 'CS164' },
  };
}

/**
 * A multi-document manifest of about `bytes` bytes: per tenant a ClusterStack and topology Clusters.
 * The toggle sets one Cluster's topology.version to another minor than its ClusterClass (CSK205); the
 * first Cluster has no managed-secret label (CSK207), the sentinel.
 */
export function stackManifest(bytes: number): Generated {
  const docs: string[] = [];
  let size = 0;
  let tenant = 0;
  for (; size < bytes; tenant++) {
    const ns = `tenant-${String(tenant).padStart(4, '0')}`;
    const stack = [
      'apiVersion: clusterstack.x-k8s.io/v1alpha1',
      'kind: ClusterStack',
      'metadata:',
      '  name: openstack-scs2-1-33',
      `  namespace: ${ns}`,
      'spec:',
      '  provider: openstack',
      '  name: scs2',
      '  kubernetesVersion: "1.33"',
      '  channel: stable',
      '  autoSubscribe: false',
      '  noProvider: true',
      '  versions:',
      '    - v1',
    ].join('\n');
    docs.push(stack);
    size += stack.length + 5;
    for (let c = 0; c < 10; c++) {
      const cluster = [
        'apiVersion: cluster.x-k8s.io/v1beta2',
        'kind: Cluster',
        'metadata:',
        `  name: cluster-${String(c).padStart(2, '0')}`,
        `  namespace: ${ns}`,
        ...(tenant === 0 && c === 0 ? [] : ['  labels:', '    managed-secret: clouds-yaml']),
        'spec:',
        '  topology:',
        '    classRef:',
        '      name: openstack-scs2-1-33-v1',
        '    version: v1.33.4',
        '    controlPlane:',
        '      replicas: 3',
        '    workers:',
        '      machineDeployments:',
        '        - class: default-worker',
        `          name: md-${c}`,
        '          replicas: 3',
        '    variables:',
        '      - name: controller_flavor',
        '        value: SCS-2V-4-20s',
        '      - name: worker_flavor',
        '        value: SCS-4V-8-50',
      ].join('\n');
      docs.push(cluster);
      size += cluster.length + 5;
    }
  }
  const text = docs.map((d) => `---\n${d}`).join('\n') + '\n';
  // The version line of a Cluster in the middle of the file.
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  const line = lines.findIndex((l, i) => i >= middle && l === '    version: v1.33.4');
  return {
    text,
    toggle: { line, from: '    version: v1.33.4', to: '    version: v1.34.4', code: 'CSK205' },
    sentinel: { line: lines.indexOf('  name: cluster-00'), code: 'CSK207' },
  };
}

const HEALTH_CYCLE = ['True', 'True', 'True', 'False'] as const;

export const tenantName = (t: number) => `tenant-${String(t).padStart(4, '0')}`;
export const clusterName = (c: number) => `cluster-${String(c).padStart(2, '0')}`;

/** Per tenant: the clouds.yaml Secret, a ClusterStack, a ClusterResourceSet and `clustersPer` topology Clusters (¼ unhealthy). */
export function explorerSeed(tenants: number, clustersPer: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let t = 0; t < tenants; t++) {
    const ns = tenantName(t);
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'openstack', namespace: ns },
      stringData: { 'clouds.yaml': 'clouds:\n  openstack: {}\n', cloudName: 'openstack' },
    });
    out.push({
      apiVersion: 'clusterstack.x-k8s.io/v1alpha1',
      kind: 'ClusterStack',
      metadata: { name: 'openstack', namespace: ns },
      spec: { provider: 'openstack', name: 'scs2', kubernetesVersion: '1.33', channel: 'stable', noProvider: true, versions: ['v1'] },
      status: { summary: [{ name: 'v1', phase: 'done', ready: true }] },
    });
    out.push({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSet',
      metadata: { name: 'crs-openstack-newsecret', namespace: ns },
      spec: {
        strategy: 'Reconcile',
        clusterSelector: { matchLabels: { 'managed-secret': 'clouds-yaml' } },
        resources: [{ kind: 'Secret', name: 'openstack-workload-cluster-newsecret' }],
      },
    });
    for (let c = 0; c < clustersPer; c++) {
      const available = HEALTH_CYCLE[c % HEALTH_CYCLE.length];
      out.push({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: clusterName(c), namespace: ns, labels: { 'managed-secret': 'clouds-yaml' } },
        spec: {
          topology: {
            classRef: { name: 'openstack-scs2-1-33-v1' },
            version: 'v1.33.4',
            controlPlane: { replicas: 3 },
            workers: { machineDeployments: [{ class: 'default-worker', name: 'md-0', replicas: 3 }] },
          },
        },
        status: {
          phase: 'Provisioned',
          initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
          conditions: [
            {
              type: 'Available',
              status: available,
              reason: available === 'True' ? 'Available' : 'NotAvailable',
              message: available === 'True' ? '' : '* WorkersAvailable: 0 available replicas',
              lastTransitionTime: '2025-06-02T08:00:00Z',
            },
            { type: 'ControlPlaneAvailable', status: 'True', reason: 'Available', lastTransitionTime: '2025-06-02T08:00:00Z' },
            {
              type: 'WorkersAvailable',
              status: available,
              reason: available === 'True' ? 'Available' : 'NotAvailable',
              lastTransitionTime: '2025-06-02T08:00:00Z',
            },
            { type: 'RollingOut', status: 'False', reason: 'NotRollingOut', lastTransitionTime: '2025-06-02T08:00:00Z' },
          ],
        },
      });
    }
  }
  return out;
}
