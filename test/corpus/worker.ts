/**
 * Child process of BoundedCli: runs the CLI's `run` (the same function the bin calls) for each request
 * read from stdin, one JSON line in, one JSON line out. In a child so that a hang or a memory blow-up
 * of one case is killed from outside and reported, instead of hanging or killing the test runner.
 */
import * as readline from 'node:readline';
import { run } from '../../src/cli/run';

interface Request {
  readonly id: number;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => void answer(line));

async function answer(line: string): Promise<void> {
  const req = JSON.parse(line) as Request;
  let out = '';
  let err = '';
  let code: number | undefined;
  let threw: string | undefined;
  try {
    code = await run(req.args, { env: req.env, cwd: req.cwd, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  } catch (e) {
    threw = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  process.stdout.write(JSON.stringify({ id: req.id, code, out, err, threw }) + '\n');
}
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
