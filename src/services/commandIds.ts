/**
 * Every command id the extension registers (package.json contributes the same ids), declared once:
 * a command registers itself under its id, and other rooms (the clouds.yaml lens, the explorer, the
 * onboarding flow) run it through `vscode.commands.executeCommand` with the id from here, never by
 * importing the command.
 */
export const COMMAND = {
  // clouds.yaml in the editor
  previewCloudConf: 'clusterStacks.previewCloudConf',
  revealSecrets: 'clusterStacks.preview.revealSecrets',
  copyUnmasked: 'clusterStacks.preview.copyUnmasked',
  // credentials
  pushToTenant: 'clusterStacks.pushToTenant',
  pushToWorkloadClusters: 'clusterStacks.pushToWorkloadClusters',
  keepInSync: 'clusterStacks.keepInSync',
  showPropagation: 'clusterStacks.showPropagation',
  testConnection: 'clusterStacks.testConnection',
  rotateCredential: 'clusterStacks.rotateCredential',
  // cluster stacks and tenants
  applyClusterStack: 'clusterStacks.applyClusterStack',
  applyDocument: 'clusterStacks.applyDocument',
  onboardTenant: 'clusterStacks.onboardTenant',
  orderCluster: 'clusterStacks.orderCluster',
  previewRelease: 'clusterStacks.previewRelease',
  // workload clusters
  upgradeCluster: 'clusterStacks.upgradeCluster',
  scaleCluster: 'clusterStacks.scaleCluster',
  pauseCluster: 'clusterStacks.pauseCluster',
  resumeCluster: 'clusterStacks.resumeCluster',
  deleteCluster: 'clusterStacks.deleteCluster',
  // the explorer
  refresh: 'clusterStacks.explorer.refresh',
  retry: 'clusterStacks.explorer.retry',
  openYaml: 'clusterStacks.explorer.openYaml',
  copyName: 'clusterStacks.explorer.copyName',
  getKubeconfig: 'clusterStacks.explorer.getKubeconfig',
  filterTenants: 'clusterStacks.explorer.filterTenants',
  showAllNamespaces: 'clusterStacks.explorer.showAllNamespaces',
  showTenantsOnly: 'clusterStacks.explorer.showTenantsOnly',
  checkDrift: 'clusterStacks.explorer.checkDrift',
  /** Reveals a workload cluster's node `{context, namespace, name}` (the order's "Reveal in tree"; hidden from the palette). */
  revealCluster: 'clusterStacks.explorer.revealCluster',
  // test hooks (hidden from the palette)
  snapshot: 'clusterStacks.explorer.snapshot',
  liveResources: 'clusterStacks.test.liveResources',
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];
