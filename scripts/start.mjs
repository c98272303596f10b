// The README's "set up and run" command (`npm start`). Uses only Node built-ins, so it works on a
// fresh clone before `npm ci`:
//   1. installs the Debian packages and the npm dependencies when they are missing,
//   2. builds the extension and the CLI, and runs the CLI on the shipped example clouds.yaml,
//   3. packages the VSIX,
//   4. starts the emulator's demo landscape and a real VS Code (code-server) with the VSIX
//      installed and the demo kubeconfig, prints the browser URL, and runs until Ctrl-C.
// `npm start -- --no-serve` stops after step 3.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const serve = !process.argv.includes('--no-serve');

function step(title, cmd, args, opts = {}) {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

step('System packages (Debian)', 'bash', ['scripts/system-deps.sh']);
const lockTime = statSync('package-lock.json').mtimeMs;
if (!existsSync('node_modules/.package-lock.json') || statSync('node_modules/.package-lock.json').mtimeMs < lockTime) {
  step('npm dependencies', 'npm', ['ci', '--no-audit', '--no-fund']);
}
step('Build (esbuild)', 'node', ['scripts/build.mjs']);
step('CLI: cluster-stacks cloud-conf --cloud openstack examples/clouds.yaml (the example holds placeholder credentials)', 'node', [
  'dist/cli.js',
  'cloud-conf',
  '--cloud',
  'openstack',
  'examples/clouds.yaml',
]);
step('CLI: cluster-stacks lint examples/clouds.yaml', 'node', ['dist/cli.js', 'lint', 'examples/clouds.yaml']);
step('Package the VSIX', 'npm', ['run', '-s', 'package']);
if (serve) step('Demo: emulated SCS landscape + VS Code in the browser', 'npx', ['tsx', 'scripts/demo.ts'], { stdio: 'inherit' });
