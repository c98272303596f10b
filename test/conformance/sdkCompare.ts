/**
 * A produced cloud.conf, as the real gcfg read it, against what openstacksdk resolved from the same
 * clouds.yaml: auth_url, region, interface, TLS and every auth field. Differences are either
 * documented (docs/conformance-policy.md: the converter follows Go there, leaves a setting out on
 * purpose, or maps `default_domain` the Go way) or real disagreements. Shared by the peer cases and
 * the bad-input corpus.
 */
import type { GcfgResult } from './gcfg';
import type { OracleResult } from './openstacksdk';

/** cloud.conf `[Global]` key → clouds.yaml auth key. */
const AUTH_OF_CONF: Record<string, string> = {
  'auth-url': 'auth_url',
  username: 'username',
  'user-id': 'user_id',
  password: 'password',
  'user-domain-id': 'user_domain_id',
  'user-domain-name': 'user_domain_name',
  'domain-id': 'domain_id',
  'domain-name': 'domain_name',
  'tenant-id': 'project_id',
  'tenant-name': 'project_name',
  'tenant-domain-id': 'project_domain_id',
  'tenant-domain-name': 'project_domain_name',
  'trust-id': 'trust_id',
  token: 'token',
  'application-credential-id': 'application_credential_id',
  'application-credential-name': 'application_credential_name',
  'application-credential-secret': 'application_credential_secret',
};

/** Auth settings the converter leaves out on purpose (domain.md §(a)), per auth family. */
const NOT_EMITTED: Record<string, readonly string[]> = {
  appcred: ['project_id', 'project_name', 'project_domain_id', 'project_domain_name', 'username', 'password'],
  token: ['username', 'user_id', 'password', 'user_domain_id', 'user_domain_name'],
  password: [],
};
/**
 * With user_id, keystoneauth uses neither the username nor the user domain (keystoneauth1 5.0.0
 * identity/v3/password.py get_auth_data) and gophercloud refuses them, so the converter leaves them out.
 */
const IGNORED_WITH_USER_ID = new Set(['username', 'user_domain_id', 'user_domain_name']);
/** Settings openstacksdk keeps verbatim that keystoneauth rejects and the converter maps the Go way (CS167). */
const GO_MAPPED = new Set(['default_domain']);
/** How oracle.py marks a `!!binary` value: openstacksdk holds bytes, shown as their UTF-8 text (CS106). */
const BYTES = '<bytes:utf-8> ';

export function compareWithSdk(o: OracleResult, g: GcfgResult['global'], followsGo: boolean): { diffs: string[]; documented: string[] } {
  const conf: Record<string, string> = {};
  for (const [k, v] of Object.entries(g)) if (AUTH_OF_CONF[k] && typeof v === 'string') conf[AUTH_OF_CONF[k]] = v;
  // gophercloud (OCCM) reads domain-* as the default of user and project domain
  for (const kind of ['id', 'name']) {
    const d = conf[`domain_${kind}`];
    if (d === undefined) continue;
    for (const t of [`user_domain_${kind}`, `project_domain_${kind}`]) conf[t] ??= d;
  }
  const family = o.auth_type === 'v3applicationcredential' ? 'appcred' : /token/.test(o.auth_type ?? '') ? 'token' : 'password';
  const documented: string[] = [];
  const diffs: string[] = [];
  const compare = (what: string, py: unknown, ours: unknown, excused: boolean) => {
    if (typeof py === 'string' && py.startsWith(BYTES)) {
      if (py.slice(BYTES.length) === ours)
        return void documented.push(`${what}: openstacksdk holds bytes (!!binary), the converter their text`);
    } else if (py === ours) return;
    (excused ? documented : diffs).push(`${what}: openstacksdk ${JSON.stringify(py)}, converter ${JSON.stringify(ours)}`);
  };
  compare('region', o.region_name, g.region, followsGo);
  const pyInsecure = o.verify === false || o.insecure === true;
  compare('tls-insecure', pyInsecure, g['tls-insecure'] === 'true', followsGo);
  // an empty `interface` is unset for Go readers and the converter; openstacksdk keeps it empty (CS104 says so)
  compare('interface', o.interface ?? 'public', g['os-endpoint-type'] ?? 'public', o.interface === '');
  const known = new Set([...Object.values(AUTH_OF_CONF), ...GO_MAPPED]);
  for (const [k, v] of Object.entries(o.auth ?? {})) {
    // a key cloud.conf has no place for (keystoneauth ignores it too) is not written by anyone
    if (v === null || v === '' || !known.has(k)) continue;
    const text = String(v);
    const excused =
      followsGo ||
      NOT_EMITTED[family].includes(k) ||
      GO_MAPPED.has(k) ||
      (family === 'password' && Boolean(o.auth?.user_id) && IGNORED_WITH_USER_ID.has(k));
    compare(`auth.${k}`, text, conf[k], excused);
  }
  for (const k of Object.keys(conf)) {
    if (o.auth?.[k] === undefined)
      compare(`auth.${k}`, undefined, conf[k], followsGo || Object.keys(o.auth ?? {}).some((p) => GO_MAPPED.has(p)));
  }
  return { diffs, documented };
}
