/**
 * What every corpus case must satisfy, whatever the input: the CLI terminated within the bounds,
 * exited 0, 1 or 2, printed nothing but one-line located findings (or the usage line), no stack trace,
 * no planted secret; exit 1 has an error, exit 0 has none; exit 0 from cloud-conf wrote a cloud.conf.
 * Returns the problems (empty when the case holds).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliOutcome } from './boundedCli';
import type { CorpusCase } from './generate';

const LOCATED = /^[^\n]+:\d+:\d+: (error|warning|info) C[SC]\d{3}: [^\n]+$/;
const USAGE = /^cluster-stacks: [^\n]+$/;
const HINT = 'Run `cluster-stacks --help` for usage.';
// eslint-disable-next-line no-control-regex -- finding raw control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** `dir`: the case's folder after the run (for what the CLI wrote there). */
export function violations(c: CorpusCase, o: CliOutcome, dir: string): string[] {
  if (o.kind !== 'exit')
    return [
      `${o.kind}${'stack' in o ? `: ${o.stack.split('\n').slice(0, 3).join(' | ')}` : 'detail' in o ? `: ${o.detail}` : ''} after ${o.ms} ms (rss ${Math.round(o.rss / 1048576)} MiB)`,
    ];
  const bad: string[] = [];
  if (![0, 1, 2].includes(o.code)) bad.push(`exit code ${o.code}`);
  const lines = o.err.split('\n');
  if (lines.pop() !== '') bad.push('stderr does not end with a newline');
  let errors = 0;
  let usage = false;
  for (const l of lines) {
    if (CONTROL.test(l)) bad.push(`control character in a message: ${JSON.stringify(l).slice(0, 200)}`);
    const m = LOCATED.exec(l);
    if (m) {
      if (m[1] === 'error') errors++;
    } else if (USAGE.test(l)) usage = true;
    else if (l !== HINT) bad.push(`not a one-line located message: ${JSON.stringify(l).slice(0, 200)}`);
    if (/^\s+at /.test(l) || /\b(RangeError|TypeError|ReferenceError)\b/.test(l)) bad.push(`stack trace: ${l.slice(0, 200)}`);
  }
  for (const marker of c.markers) if (o.err.includes(marker)) bad.push(`planted secret ${marker} on stderr`);
  if (c.command === 'lint')
    for (const marker of c.markers) if (o.out.includes(marker)) bad.push(`planted secret ${marker} on stdout of lint`);
  if (o.code === 1 && !errors) bad.push('exit 1 without an error finding');
  if (o.code === 0 && errors) bad.push('exit 0 with an error finding');
  if (o.code === 2 && !usage) bad.push('exit 2 without a usage line');
  // Only certificates leave the machine: the shipped PEM (--cacert-out) and the identity Secret's cacert.
  const shipped = path.join(dir, 'shipped.pem');
  if (fs.existsSync(shipped)) {
    const lines = fs.readFileSync(shipped, 'utf8').split('\n');
    if (lines.some((l) => !/^(-----(BEGIN|END) CERTIFICATE-----|[A-Za-z0-9+/=]*)$/.test(l)))
      bad.push('the shipped cacert holds more than CERTIFICATE blocks');
  }
  for (const m of o.out.matchAll(/^\s*cacert: (\S+)$/gm))
    if (Buffer.from(m[1], 'base64').toString('utf8').includes('PRIVATE KEY')) bad.push('the identity Secret ships a private key');
  if (o.code === 0 && c.command === 'cloud-conf') {
    if (!o.out.startsWith('[Global]\n')) bad.push('exit 0 without a cloud.conf on stdout');
    // eslint-disable-next-line no-control-regex -- the encoder escapes \t and \n and refuses every other C0 control
    if (/[\u0000-\u0008\u000b-\u001f]/.test(o.out)) bad.push('raw control character in cloud.conf');
  }
  return bad;
}
