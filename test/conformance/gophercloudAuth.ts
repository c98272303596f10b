/**
 * The gophercloud oracle for tests: test/conformance/gophercloud-auth (Go + Debian's gophercloud 0.12 and gophercloud/utils
 * clientconfig) reads a cloud.conf's [Global] like the OpenStack CCM and says whether gophercloud would build a Keystone v3
 * token request from it, and of which scope — before any request is sent.
 *
 *   const [r] = await gophercloudAuthMany(['[Global]\nauth-url="https://k/v3"\napplication-credential-id="a"\n']);
 *   r.ok === false; r.error === 'identity: You must provide an Application Credential Secret'
 */
import { runGoOracle, type GoOracle } from './gobuild';

export interface AuthCheck {
  readonly ok: boolean;
  /** Prefixed by the stage that refused: gcfg, clientconfig, scope, identity. */
  readonly error?: string;
  /** The token asked for; `none` is an unscoped token (no service catalog). */
  readonly scope?: 'project' | 'domain' | 'trust' | 'system' | 'none';
}

const ORACLE: GoOracle = {
  name: 'gophercloud-auth',
  files: { 'main.go': 'src/gophercloud-auth/main.go' },
  main: 'src/gophercloud-auth',
  needs: {
    'src/gopkg.in/gcfg.v1/read.go': 'golang-gopkg-gcfg.v1-dev',
    'src/github.com/gophercloud/gophercloud/auth_options.go': 'golang-github-gophercloud-gophercloud-dev',
    'src/github.com/gophercloud/utils/openstack/clientconfig/requests.go': 'golang-github-gophercloud-utils-dev',
  },
};

export function gophercloudAuthMany(texts: readonly string[]): Promise<AuthCheck[]> {
  return runGoOracle<AuthCheck>(ORACLE, texts);
}
