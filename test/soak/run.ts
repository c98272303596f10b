// `npm run soak [-- --minutes N] [--json FILE]`: the fault soak of soak.ts for N minutes of faults
// (default 10), then the convergence check; prints the figures and every violation, exits 1 on any.
import * as fs from 'node:fs';
import { runSoak } from './soak';

const USAGE = 'usage: npm run soak -- [--minutes N] [--json FILE]';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let minutes = 10;
  let json = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--minutes') minutes = Number(argv[++i]);
    else if (a === '--json') json = argv[++i] ?? '';
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return;
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60)
    throw new Error(`--minutes must be a number of minutes (0 < N ≤ 1440)\n${USAGE}`);
  const started = Date.now();
  const r = await runSoak({ minutes, log: (l) => console.log(`soak: ${l}`) });
  console.log(JSON.stringify({ ...r, wallS: Math.round((Date.now() - started) / 1000) }, null, 2));
  if (json) fs.writeFileSync(json, JSON.stringify(r, null, 2) + '\n');
  for (const v of r.violations) console.log(`VIOLATION: ${v}`);
  console.log(`soak: ${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}`);
  process.exitCode = r.violations.length ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(`soak: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
});
