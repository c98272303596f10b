// Reads a JSON array of cloud.conf texts on stdin and prints gcfgParseMany's results: lets the tests
// inside VS Code (a bundle, where the checker's sources cannot be located) use the real gcfg checker.
//   node_modules/.bin/tsx test/credentials/gcfgCheck.ts < texts.json
import { gcfgParseMany } from '../conformance/gcfg';

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c: string) => (input += c));
process.stdin.on('end', () => {
  gcfgParseMany(JSON.parse(input) as string[]).then(
    (r) => process.stdout.write(JSON.stringify(r)),
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
    },
  );
});
