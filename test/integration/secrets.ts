/**
 * The registry of every secret the integration tests use: the tests take their secret literals from
 * here, the fixtures of test/integration/workspace are listed here (test/unit/harness/leakScan.test.ts
 * checks every secret-keyed value of those files is), and the tokens of the emulators the tests start
 * are added at run time (leak/ledger.ts `trackEmulator`). After each suite the runner searches for all
 * of them (test/integration/leak/scan.ts, run.ts); a hit fails the stage.
 *
 * Values depend on CLUSTER_STACKS_TEST_RUN, which the runner sets for the code-server it starts, so the
 * runner and every suite bundle (each bundles its own copy of this module) agree on them.
 */
import type { Secret } from './leak/scan';

/** The run id shared by the runner and the extension host ('local' when started otherwise). */
export const TEST_RUN = process.env.CLUSTER_STACKS_TEST_RUN || 'local';

/** The secrets the test files use, by `<test file>.<name>`. */
export function testSecrets(run = TEST_RUN) {
  return {
    'credentials.appCredSecret': `it-AppCred-${run}-Zq8!x`,
    // Secret data the credential tests put into a workload cluster by hand (drift).
    'credentials.handEditedConf': `[Global]\nregion="edited-by-hand-${run}"\n`,
    'credentialRefusals.appCredSecret': `refuse-AppCred-${run}-Wk3!p`,
    'credentialsTree.appCredSecret': `tree-AppCred-${run}-Qx7!k`,
    'credentialsTree.handEditedConf': `[Global]\nregion="tree-edited-${run}"\n`,
    'credentialsTree.identityAppCredSecret': `ident-AppCred-${run}-Vh4!m`,
    // The editor tests reveal these on purpose (preview, copy unmasked): that must leave no trace either.
    'editor.appCredSecret': 'S3cr3t-app-cred;#"\\value',
    'editor.password': 'pa#ss w0rd;',
    'editor.thirdCloudSecret': `another-secret-value-${run}`,
    'editor.quickFixPassword': `secret-placeholder-${run}`,
    'explorer.secretData': `top-secret-value-${run}`,
  } as const;
}

export const SECRETS = testSecrets();

/** The secrets of the files in test/integration/workspace (the folder every launch opens). */
export const FIXTURE_SECRETS = {
  'workspace/clouds.yaml:openstack.application_credential_secret': 'REDACTED-application-credential-secret',
  'workspace/clouds.yaml:password-cloud.password': 'REDACTED-password',
  'workspace/editor-demo/secure.yaml:prod-appcred.application_credential_secret': 'placeholder;secret#value',
  'workspace/editor-demo/secure.yaml:lab-password.password': 'placeholder-password',
} as const;

/** Every registered secret of this run (without the run-time emulator tokens). */
export function registeredSecrets(run = TEST_RUN): Secret[] {
  return [...Object.entries(testSecrets(run)), ...Object.entries(FIXTURE_SECRETS)].map(([id, value]) => ({ id, value }));
}
