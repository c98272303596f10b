/**
 * What several integration suites set up around the extension: workload clusters that run the
 * OpenStack CCM and Cinder CSI workloads (test/emulator/openstackAddons.ts, applied with kubectl as a
 * Helm install would create them, with the deployment and daemon-set controllers running), and the
 * real Keystone the runner started (test/integration/run.ts).
 */
import * as assert from 'node:assert/strict';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../emulator';
import { kubectl } from '../emulator/helpers';
import { nodesFor, openstackAddons } from '../emulator/openstackAddons';
import type { CreatedAppCred, KeystoneApi, Ref, UserLogin } from '../keystone/api';
import { trackEmulator, trackSecret } from './leak/ledger';

/** Adds topology Clusters `names` to `ns` with reachable workload emulators, their Nodes, and the OCCM / Cinder CSI workloads. */
export async function addEquippedWorkloads(mgmt: Emulator, ns: string, names: readonly string[], workers = 1): Promise<void> {
  const addons = openstackAddons()
    .map((o) => yaml.dump(o))
    .join('---\n');
  for (const n of names) {
    const cluster = {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: n, namespace: ns },
      spec: {
        topology: {
          class: 'c',
          version: 'v1.33.4',
          controlPlane: { replicas: 1 },
          workers: { machineDeployments: [{ name: 'md', replicas: workers }] },
        },
      },
    };
    mgmt.put(cluster);
    const w = await mgmt.addWorkloadCluster(ns, n, { apps: { stepMs: 100, podReadyMs: 300 } });
    for (const node of nodesFor(cluster)) w.put(node);
    const k = await kubectl(w.kubeconfigPath, ['apply', '-f', '-'], addons);
    assert.equal(k.code, 0, k.stderr);
  }
}

/** The Keystone the integration runner started (a throwaway admin on loopback), or its reason for not starting. */
export function keystoneFromRunner(): { url: string; region: string; adminPassword: string } {
  const env = process.env.CLUSTER_STACKS_TEST_KEYSTONE;
  if (!env)
    throw new Error(
      `the integration runner started no Keystone: ${process.env.CLUSTER_STACKS_TEST_KEYSTONE_ERROR ?? 'CLUSTER_STACKS_TEST_KEYSTONE is not set (run through npm run test:integration)'}`,
    );
  return JSON.parse(env) as { url: string; region: string; adminPassword: string };
}

/**
 * The Keystone side of a rotation test: project `prefix`, its member `prefix-user` with `password`, and
 * an unrestricted application credential `prefix-AppCred1` (its secret registered with the leak check).
 */
export async function rotationTenant(
  api: KeystoneApi,
  region: string,
  prefix: string,
  password: string,
): Promise<{ project: Ref; user: Ref & UserLogin; first: CreatedAppCred }> {
  await api.catalogForRegion(region);
  const project = await api.createProject(prefix);
  const user = await api.createUser(`${prefix}-user`, password);
  await api.grant(user.id, project.id);
  const first = await api.createApplicationCredential(user, project.id, {
    name: `${prefix}-AppCred1`,
    unrestricted: true,
    roles: ['member'],
  });
  trackSecret(`${prefix}: AppCred1 (Keystone)`, first.secret);
  return { project, user, first };
}

/** A management emulator (tracked by the leak check) with namespace `ns` and equipped workload clusters, as the extension's kubeconfig. */
export async function rotationLandscape(name: string, ns: string, clusters: readonly string[]): Promise<Emulator> {
  const mgmt = trackEmulator(await startEmulator({ name, seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }] }));
  await addEquippedWorkloads(mgmt, ns, clusters);
  await vscode.workspace
    .getConfiguration('clusterStacks')
    .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
  return mgmt;
}
