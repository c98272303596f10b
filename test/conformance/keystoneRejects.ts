/**
 * Credentials Keystone or the CCM's client would reject, each with the cloud.conf the converter used to write for it
 * (exit 0 before issue #11). Shared by the unit test (the converter now refuses, located) and the conformance test
 * (gophercloud and keystoneauth refuse those cloud.conf files / clouds).
 */
export interface RejectedCredential {
  readonly name: string;
  /** The clouds.yaml (cloud `c`). */
  readonly clouds: string;
  /** What the converter wrote for it before (secrets are placeholders). */
  readonly formerCloudConf: string;
  /** The CS103 message part that names what is missing. */
  readonly missing: RegExp;
}

const URL = 'https://keystone.example.com:5000/v3';
const clouds = (auth: string, authType?: string) =>
  `clouds:\n  c:\n${authType ? `    auth_type: ${authType}\n` : ''}    auth:\n      auth_url: ${URL}\n${auth}    region_name: RegionOne\n`;
const conf = (lines: string) => `[Global]\nauth-url="${URL}"\nregion="RegionOne"\n${lines}`;

export const REJECTED: readonly RejectedCredential[] = [
  {
    name: 'application credential without its secret',
    clouds: clouds('      application_credential_id: "ac-id"\n', 'v3applicationcredential'),
    formerCloudConf: conf('application-credential-id="ac-id"\n'),
    missing: /has no application_credential_secret/,
  },
  {
    name: 'application credential by name without a user',
    clouds: clouds(
      '      application_credential_name: "ci"\n      application_credential_secret: "ac-secret"\n',
      'v3applicationcredential',
    ),
    formerCloudConf: conf('application-credential-name="ci"\napplication-credential-secret="ac-secret"\n'),
    missing: /has no user \(username or user_id\) for the application credential name/,
  },
  {
    name: 'password with no project scope',
    clouds: clouds('      username: "u"\n      password: "pw"\n      user_domain_name: "Default"\n'),
    formerCloudConf: conf('username="u"\npassword="pw"\nuser-domain-name="Default"\n'),
    missing: /has no project \(project_id or project_name\)/,
  },
  {
    name: 'project given by name without its domain',
    clouds: clouds(
      '      username: "u"\n      password: "pw"\n      user_domain_name: "Default"\n      project_name: "demo"\n',
      'v3password',
    ),
    formerCloudConf: conf('username="u"\npassword="pw"\nuser-domain-name="Default"\ntenant-name="demo"\n'),
    missing: /has no project domain/,
  },
  {
    name: 'user given by name without its domain',
    clouds: clouds('      username: "u"\n      password: "pw"\n      project_id: "pid"\n', 'v3password'),
    formerCloudConf: conf('username="u"\npassword="pw"\ntenant-id="pid"\n'),
    missing: /has no user domain/,
  },
  {
    // the shape of a template with the values still to fill in: empty values are unset for every reader
    name: 'required values left empty',
    clouds: clouds('      application_credential_id: ""\n      application_credential_secret: ""\n', 'v3applicationcredential'),
    formerCloudConf: conf(''),
    missing: /has no application_credential_secret/,
  },
];
