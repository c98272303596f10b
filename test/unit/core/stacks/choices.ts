/** The scs2 README's ClusterStack choices, shared by the ClusterStack tests. */
import type { ClusterStackChoices } from '../../../../src/core/stacks/clusterStack';

export const SCS2: ClusterStackChoices = {
  objectName: 'openstack',
  namespace: 'cluster',
  provider: 'openstack',
  name: 'scs2',
  kubernetesVersion: '1.33',
  channel: 'stable',
  versions: ['v1'],
  autoSubscribe: false,
};
