/**
 * Credentials Keystone or the CCM's client would reject, each with the cloud.conf the converter used to write for it
 * (exit 0 before issue #11). Shared by the unit test (the converter now refuses, located) and the conformance test
 * (the real Keystone, through the CCM's client and openstacksdk, refuses them or issues no usable token).
 */
export interface Identity {
  readonly authUrl: string;
  readonly region: string;
  readonly user: { readonly id: string; readonly name: string; readonly password: string };
  readonly project: { readonly id: string; readonly name: string };
  readonly appCred: { readonly id: string; readonly name: string; readonly secret: string };
}

export interface RejectedCredential {
  readonly name: string;
  readonly authType: string;
  /** clouds.yaml `auth` of cloud `c` (besides auth_url). */
  readonly auth: Readonly<Record<string, string>>;
  /** `[Global]` lines the converter used to write for it, after auth-url and region. */
  readonly formerGlobal: string;
  /** The CS103 message part that names what is missing. */
  readonly missing: RegExp;
}

export function rejectedCredentials(id: Identity): RejectedCredential[] {
  return [
    {
      name: 'application credential without its secret',
      authType: 'v3applicationcredential',
      auth: { application_credential_id: id.appCred.id },
      formerGlobal: `application-credential-id="${id.appCred.id}"\n`,
      missing: /has no application_credential_secret/,
    },
    {
      name: 'application credential by name without a user',
      authType: 'v3applicationcredential',
      auth: { application_credential_name: id.appCred.name, application_credential_secret: id.appCred.secret },
      formerGlobal: `application-credential-name="${id.appCred.name}"\napplication-credential-secret="${id.appCred.secret}"\n`,
      missing: /has no user \(username or user_id\) for the application credential name/,
    },
    {
      name: 'password with no project scope',
      authType: 'password',
      auth: { username: id.user.name, password: id.user.password, user_domain_name: 'Default' },
      formerGlobal: `username="${id.user.name}"\npassword="${id.user.password}"\nuser-domain-name="Default"\n`,
      missing: /has no project \(project_id or project_name\)/,
    },
    {
      name: 'project given by name without its domain',
      authType: 'v3password',
      auth: { username: id.user.name, password: id.user.password, user_domain_name: 'Default', project_name: id.project.name },
      formerGlobal: `username="${id.user.name}"\npassword="${id.user.password}"\nuser-domain-name="Default"\ntenant-name="${id.project.name}"\n`,
      missing: /has no project domain/,
    },
    {
      name: 'user given by name without its domain',
      authType: 'v3password',
      auth: { username: id.user.name, password: id.user.password, project_id: id.project.id },
      formerGlobal: `username="${id.user.name}"\npassword="${id.user.password}"\ntenant-id="${id.project.id}"\n`,
      missing: /has no user domain/,
    },
    {
      // the shape of a template with the values still to fill in: empty values are unset for every reader
      name: 'required values left empty',
      authType: 'v3applicationcredential',
      auth: { application_credential_id: '', application_credential_secret: '' },
      formerGlobal: '',
      missing: /has no application_credential_secret/,
    },
  ];
}

/** The clouds.yaml of a case (cloud `c`), every value quoted. */
export function cloudsYamlOf(id: Identity, c: RejectedCredential): string {
  const auth = Object.entries({ auth_url: id.authUrl, ...c.auth })
    .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`)
    .join('');
  return `clouds:\n  c:\n    auth_type: ${c.authType}\n    auth:\n${auth}    region_name: ${JSON.stringify(id.region)}\n`;
}

/** The cloud.conf the converter used to write for a case. */
export function formerCloudConf(id: Identity, c: RejectedCredential): string {
  return `[Global]\nauth-url="${id.authUrl}"\nregion="${id.region}"\n${c.formerGlobal}`;
}
