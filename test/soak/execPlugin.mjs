#!/usr/bin/env node
// A flaky client-go exec credential plugin (client.authentication.k8s.io/v1 ExecCredential) for the
// fault soak: prints the token of SOAK_EXEC_TOKEN with a short expiry (so client-node runs it again every
// few seconds), and fails — exit 1, a message on stderr, no output — with the probability written in the
// file SOAK_EXEC_CONTROL (0 when the file is missing or empty; the soak sets 0.5 while faults run), counting
// its failures as lines in SOAK_EXEC_CONTROL.failures.
import { appendFileSync, readFileSync } from 'node:fs';

function failRate() {
  try {
    return Number(readFileSync(process.env.SOAK_EXEC_CONTROL ?? '', 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}
const rate = failRate();
if (Math.random() < rate) {
  appendFileSync(`${process.env.SOAK_EXEC_CONTROL}.failures`, '1\n');
  process.stderr.write('soak exec plugin: injected failure (identity provider unavailable)\n');
  process.exit(1);
}
const expires = new Date(Date.now() + 2000 + Math.floor(Math.random() * 2000)).toISOString();
process.stdout.write(
  JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: { token: process.env.SOAK_EXEC_TOKEN ?? '', expirationTimestamp: expires },
  }),
);
