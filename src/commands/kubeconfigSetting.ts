import * as vscode from 'vscode';
import { kubeconfigPaths, loadKubeconfigs, type LoadedKubeconfig } from '../kube/kubeconfig';

/**
 * The user's kubeconfig as the commands see it: the files of `clusterStacks.kubeconfigPaths`, else
 * KUBECONFIG, else ~/.kube/config, merged like kubectl. Read on every call (settings may change),
 * never written.
 */
export function loadKubeconfig(): LoadedKubeconfig {
  return loadKubeconfigs(kubeconfigPaths(vscode.workspace.getConfiguration('clusterStacks').get<string[]>('kubeconfigPaths')));
}
