// `npm run emulator -- --demo --kubeconfig FILE`: starts the demo SCS landscape (see demo.ts), writes the
// management cluster's kubeconfig to FILE, prints what it started and runs until SIGINT/SIGTERM.
// `npm run emulator -- --kubeconfig FILE [--seed PATH]...` starts a single emulator seeded from YAML instead.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startDemo } from './demo';
import { startEmulator } from './index';

const USAGE = 'usage: npm run emulator -- [--demo] --kubeconfig FILE [--seed PATH]... [--name NAME] [--fixtures DIR]';

function parseArgs(argv: string[]) {
  const out = { demo: false, kubeconfig: '', seeds: [] as string[], name: '', fixtures: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--demo') out.demo = true;
    else if (a === '--kubeconfig') out.kubeconfig = resolve(value());
    else if (a === '--seed') out.seeds.push(resolve(value()));
    else if (a === '--name') out.name = value();
    else if (a === '--fixtures') out.fixtures = resolve(value());
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!out.kubeconfig) throw new Error(`--kubeconfig FILE is required\n${USAGE}`);
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let stop: () => Promise<void>;
  if (args.demo) {
    const demo = await startDemo(args.fixtures || undefined, args.name || undefined);
    writeFileSync(args.kubeconfig, demo.management.kubeconfig(), { mode: 0o600 });
    stop = demo.stop;
    console.log(
      `management cluster "${demo.management.name}" at ${demo.management.url} (kubeconfig: ${args.kubeconfig}, context ${demo.management.name})`,
    );
    console.log(`tenants: ${demo.tenants.join(', ')}`);
    for (const c of demo.clusters) {
      const where = c.workload
        ? c.reachable
          ? `workload API at ${c.workload.url}`
          : 'kubeconfig secret points to a stopped server'
        : 'no workload API';
      console.log(`  ${c.namespace}/${c.name}: ${c.state}; ${where}`);
    }
    console.log('workload clusters are reachable through the Secret <cluster>-kubeconfig (key "value") in their tenant namespace');
    console.log(
      'a tenant ServiceAccount token (scs2-tenant/tenant-admin, ClusterRole admin) is in the Secret scs2-tenant/tenant-admin-token',
    );
  } else {
    const em = await startEmulator({ name: args.name || 'emulator', seed: args.seeds });
    writeFileSync(args.kubeconfig, em.kubeconfig(), { mode: 0o600 });
    stop = () => em.stop();
    console.log(`emulator "${em.name}" at ${em.url} (kubeconfig: ${args.kubeconfig})`);
    for (const s of em.skippedSeeds) console.log(`  skipped ${s.file ?? ''} ${s.name}: ${s.reason}`);
  }
  console.log('running until interrupted (Ctrl+C)');
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
