// The README's test command: runs every stage in order, streams its output, and ends with one line
// `N passed, N failed` summed over the stages (mocha's `N passing` / `N failing` / `N pending`).
// A stage that exits non-zero, or that ran no test, fails the whole run. The failing tests' titles and
// first error lines are repeated at the end, so a log's last lines say what failed, not only where.
import { spawn } from 'node:child_process';

const stages = [
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '**/*.{ts,mjs}']],
  ['typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']],
  ['build', 'node', ['scripts/build.mjs']],
  ['unit', 'npx', ['mocha']],
  ['emulator', 'npm', ['run', '-s', 'test:emulator']],
  ['kube', 'npm', ['run', '-s', 'test:kube']],
  ['credentials', 'npm', ['run', '-s', 'test:credentials']],
  ['identity', 'npm', ['run', '-s', 'test:identity']],
  ['integration', 'npm', ['run', '-s', 'test:integration']],
  ['ui', 'npm', ['run', '-s', 'test:ui']],
  ['conformance', 'npm', ['run', '-s', 'test:conformance']],
];
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let pending = 0;
const failures = [];

for (const [name, cmd, args] of stages) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const { code, out } = await run(cmd, args);
  const count = (re) => [...out.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  const p = count(/^\s*(\d+) passing\b/gm);
  const f = count(/^\s*(\d+) failing\b/gm);
  const s = count(/^\s*(\d+) pending\b/gm);
  passed += p;
  failed += f;
  pending += s;
  const isTestStage = /passing|failing/.test(out);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) failures.push(`${name} exited with ${code}${failingTests(out)}`);
  else if (['unit', 'emulator', 'conformance', 'integration', 'kube', 'credentials', 'identity', 'ui'].includes(name) && !isTestStage)
    failures.push(`${name} ran no test`);
  console.log(
    `=== ${name}: ${code === 0 ? 'ok' : 'FAILED'} in ${secs}s${isTestStage ? ` (${p} passing, ${f} failing, ${s} pending)` : ''}`,
  );
}

if (pending) failures.push(`${pending} pending (skipped) tests`);
console.log('');
for (const f of failures) console.log(`FAILED: ${f}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length || failed ? 1 : 0);

/** Mocha's failure list after `N failing`: each `N) title` line and the first error line under it. */
function failingTests(out) {
  const at = out.search(/^\s*\d+ failing\b/m);
  if (at < 0) return '';
  const lines = out.slice(at).split('\n').slice(1);
  const picked = [];
  for (let i = 0; i < lines.length && picked.length < 30; i++) {
    if (!/^ {2}\d+\) /.test(lines[i])) continue; // mocha's own numbering (an error's text is indented deeper)
    // `N) suite` then the test's title, whose last line ends with ':'; the error's first line follows.
    const title = [lines[i].trim()];
    let j = i + 1;
    for (; j < lines.length && lines[j].trim() && !title[title.length - 1].endsWith(':'); j++) title.push(lines[j].trim());
    const error = lines.slice(j).find((l) => l.trim());
    picked.push(`  ${title.join(' ')}${error ? `\n      ${error.trim().slice(0, 300)}` : ''}`);
  }
  return picked.length ? `:\n${picked.join('\n')}` : '';
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    const onData = (stream) => (chunk) => {
      const text = chunk.toString();
      out += text;
      stream.write(text);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('error', (e) => resolve({ code: 127, out: out + String(e) }));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}
