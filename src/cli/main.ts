// Entry point of the `cluster-stacks` bin (bundled to dist/cli.js); the commands live in run.ts.
import * as fs from 'node:fs';
import { run } from './run';

void Promise.resolve(
  run(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    stdin: () => fs.readFileSync(0, 'utf8'),
  }),
).then((code) => (process.exitCode = code));
