// The demo behind `npm start`: the emulator's SCS landscape (a management cluster with tenants, cluster
// stacks, credentials and workload clusters, each provisioned one its own emulator) and a real VS Code
// (code-server) with the packaged VSIX installed, KUBECONFIG pointing at the demo. Runs until Ctrl-C.
// Everything listens on 127.0.0.1 only; nothing is written outside temp dirs and the tool cache.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDemo } from '../test/emulator/demo';
import { cleanupAll, installVsix, launchCodeServer, onCleanup, prepareToolchain, REPO_ROOT, tempDir } from '../test/vscode/codeServer';

async function main(): Promise<void> {
  const vsix = path.join(REPO_ROOT, 'dist', 'cluster-stacks.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first (npm start does)`);

  const demo = await startDemo();
  onCleanup(() => demo.stop());
  const home = tempDir('demo');
  const kubeconfig = path.join(home, 'kubeconfig');
  fs.writeFileSync(kubeconfig, demo.management.kubeconfig(), { mode: 0o600 });

  const workspace = path.join(home, 'workspace');
  fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });

  const toolchain = await prepareToolchain();
  const extensionsDir = tempDir('demo-extensions');
  await installVsix(toolchain, vsix, extensionsDir);
  const server = await launchCodeServer(toolchain, { workspace, extensionsDir, env: { KUBECONFIG: kubeconfig } });

  console.log(`\nManagement cluster (emulated): ${demo.management.url}  context "${demo.management.name}"`);
  console.log(`Tenants: ${demo.tenants.join(', ')}`);
  for (const c of demo.clusters) console.log(`  ${c.namespace}/${c.name}: ${c.state}${c.reachable ? ' (workload API reachable)' : ''}`);
  console.log(`Kubeconfig: ${kubeconfig}  (try: KUBECONFIG=${kubeconfig} kubectl get clusters -A)`);
  console.log(`\nVS Code ${toolchain.vscodeVersion} with the extension: open ${server.url()}`);
  console.log('Open the "Cluster Stacks" view in the activity bar, or clouds.yaml in the explorer. Ctrl-C stops everything.');
  await new Promise<void>(() => undefined);
}

main().catch(async (e: unknown) => {
  console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  await cleanupAll();
  process.exit(1);
});
