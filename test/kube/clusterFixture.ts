/** A provisioned v1beta2 topology Cluster with its Available condition: the explorer tests' and the soak's seed. */
export function clusterFixture(ns: string, name: string, available: 'True' | 'False' = 'True', message = ''): Record<string, unknown> {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name, namespace: ns, labels: { 'managed-secret': 'clouds-yaml' } },
    spec: { topology: { classRef: { name: 'openstack-scs2-1-33-v1' }, version: 'v1.33.4' } },
    status: {
      phase: 'Provisioned',
      conditions: [
        {
          type: 'Available',
          status: available,
          reason: available === 'True' ? 'Available' : 'NotAvailable',
          message,
          lastTransitionTime: '2025-06-02T08:00:00Z',
        },
      ],
    },
  };
}
