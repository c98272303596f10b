/**
 * `npm run bench:readme [-- FILE]`: puts the table of a full `npm run bench` (bench-results.json by
 * default) into README.md, between the `<!-- bench:begin -->` and `<!-- bench:end -->` markers, with
 * the run's date, the machine's load and the VS Code version. Refuses a `--quick` run or a file that
 * lacks a required metric.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markdownTable, type Results, validateResults } from './metrics';

const REPO_ROOT = path.resolve(__dirname, '..');
const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

/** The README section for `r`: where and when it was measured, then the table. */
export function readmeSection(r: Results): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
  const met = Object.values(r.metrics).filter((m) => m.met === true).length;
  const missed = Object.values(r.metrics).filter((m) => m.met === false).length;
  return [
    BEGIN,
    `Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` in ${Math.round(r.durationS / 60)} min on ${r.machine.cpus} cores, ` +
      `load average (1/5/15 min) ${load(r.machine.load)} at the start${r.machine.loadAtEnd ? ` and ${load(r.machine.loadAtEnd)} at the end` : ''}, ` +
      `Node ${r.machine.node}${r.vscode ? `, VS Code ${r.vscode} (code-server)` : ''}. Targets: ${met} met, ${missed} missed. ` +
      'Generated from bench-results.json by `npm run bench:readme`; do not edit by hand.',
    '',
    markdownTable(r),
    END,
  ].join('\n');
}

/** `readme` with its marked section replaced by `section`; throws when the markers are missing. */
export function replaceSection(readme: string, section: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${BEGIN} … ${END} section`);
  return readme.slice(0, a) + section + readme.slice(b + END.length);
}

function main(): number {
  const file = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'bench-results.json'));
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
  const problems = validateResults(r);
  if (r.quick) problems.push('this is a --quick run; the README takes a full run');
  if (problems.length) {
    for (const p of problems) console.error(`${path.basename(file)}: ${p}`);
    return 1;
  }
  const readmePath = path.join(REPO_ROOT, 'README.md');
  fs.writeFileSync(readmePath, replaceSection(fs.readFileSync(readmePath, 'utf8'), readmeSection(r)));
  console.log(`README.md: benchmark table of ${r.date} (${Object.keys(r.metrics).length} metrics)`);
  return 0;
}

if (require.main === module) process.exit(main());
