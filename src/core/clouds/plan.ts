/**
 * The rules on one resolved cloud and the cloud.conf `[Global]` entries it maps to (domain.md §(a)).
 * One pass produces both, so the editor's diagnostics and the CLI's conversion can never disagree.
 */
import type { ConfEntry } from '../gcfg/encode';
import { unrepresentable } from '../gcfg/encode';
import { yaml11Reading } from '../yaml/yaml11';
import type { ConvertOptions } from './api';
import { CODES, FIX_APP_CREDENTIAL } from './codes';
import { fix, insertKeyEdit, insertNestedEdit, quoted, removePairEdit, replaceEdit } from './edits';
import { certificatesOnly } from './pem';
import { asMap, isEmpty, keyRangeOf, notText, present, rangeOf, textOf, type Located, type PMap, type PValue } from './pvalue';
import { TEXT_KEYS, type ResolvedCloud } from './resolve';

export const DEFAULT_CA_FILE_IN_POD = '/etc/config/cacert';

/** clouds.yaml auth key → cloud.conf `[Global]` key, in the order they are written. */
const CONF_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['application_credential_id', 'application-credential-id'],
  ['application_credential_name', 'application-credential-name'],
  ['application_credential_secret', 'application-credential-secret'],
  ['user_id', 'user-id'],
  ['username', 'username'],
  ['password', 'password'],
  ['user_domain_id', 'user-domain-id'],
  ['user_domain_name', 'user-domain-name'],
  ['domain_id', 'domain-id'],
  ['domain_name', 'domain-name'],
  ['project_id', 'tenant-id'],
  ['project_name', 'tenant-name'],
  ['project_domain_id', 'tenant-domain-id'],
  ['project_domain_name', 'tenant-domain-name'],
  ['trust_id', 'trust-id'],
  ['token', 'token'],
];
const SECRET_AUTH_KEYS = new Set(['password', 'application_credential_secret', 'token']);

const PLACEHOLDER: Record<string, string> = {
  auth_url: 'https://keystone.example.com:5000/v3',
  region_name: 'RegionOne',
  user_domain_name: 'Default',
  project_domain_name: 'Default',
  project_name: 'my-project',
};

type Family = 'appcred' | 'password' | 'token';
const FAMILY: Record<string, Family> = {
  v3applicationcredential: 'appcred',
  password: 'password',
  v3password: 'password',
  token: 'token',
  v3token: 'token',
};
const KEYSTONE_V2 = new Set(['v2password', 'v2token']);
const PROJECT_KEYS = ['project_id', 'project_name', 'project_domain_id', 'project_domain_name'];

/** An auth setting the conversion writes: clouds.yaml key, cloud.conf key, text, provenance. */
export interface PlannedAuth {
  readonly key: string;
  readonly confKey: string;
  readonly value: string;
  readonly at: PValue;
}

export interface Plan {
  readonly findings: Located[];
  /** `[Global]` entries in order (empty when the cloud has errors). */
  readonly global: ConfEntry[];
  /** The auth settings written, for the flattened identity secret. */
  readonly auth: PlannedAuth[];
  readonly cacert?: string;
}

export function planCloud(r: ResolvedCloud, options: ConvertOptions): Plan {
  const findings: Located[] = [...r.findings];
  const entryNode = r.entry.origin.node?.kind === 'map' ? r.entry.origin.node : undefined;
  const entryAuth = asMap(r.entry.entries.get('auth'));
  const entryAuthNode = entryAuth?.origin.node?.kind === 'map' ? entryAuth.origin.node : undefined;
  const cloudsDoc = r.entry.origin.doc;
  const onCloud = (code: string, severity: 'error' | 'warning', message: string, fixes?: Located['finding']['fixes']): void => {
    findings.push({
      file: r.entry.origin.file,
      finding: { code, severity, range: keyRangeOf(r.entry), message, ...(fixes ? { fixes } : {}) },
    });
  };
  const at: Locate = (v, code, severity, message, fixes, onValue = false) => {
    findings.push({
      file: v.origin.file,
      finding: { code, severity, range: onValue ? rangeOf(v) : keyRangeOf(v), message, ...(fixes ? { fixes } : {}) },
    });
  };
  const addAuthKey = (key: string, value: string) =>
    fix(`Add ${key}`, [
      entryAuthNode
        ? insertKeyEdit(cloudsDoc, entryAuthNode, key, quoted(value))
        : entryNode && insertNestedEdit(cloudsDoc, entryNode, 'auth', key, quoted(value)),
    ]);
  const removeFix = (v: PValue, title: string) => fix(title, [v.origin.key && removePairEdit(v.origin.doc, v.origin.key, v.origin.node)]);

  for (const s of r.sources) scanEntry(s, findings);

  const auth = new Map(r.auth);
  const has = (k: string) => present(auth.get(k));

  // Keystone v2 and unsupported auth types.
  const family = FAMILY[r.authType];
  if (KEYSTONE_V2.has(r.authType) && r.authTypeAt) {
    const v3 = r.authType === 'v2token' ? 'token' : 'password';
    at(
      r.authTypeAt,
      CODES.keystoneV2,
      'error',
      `Keystone v2 auth type "${r.authType}": the OpenStack CCM needs Keystone v3.`,
      fix(`Use ${v3}`, [r.authTypeAt.origin.node && replaceEdit(r.authTypeAt.origin.doc, r.authTypeAt.origin.node, v3)]),
      true,
    );
  } else if (!family) {
    const where = r.authTypeAt;
    const message = `auth_type "${r.authType}" has no cloud.conf representation (the OpenStack CCM supports passwords, application credentials, tokens and trusts). Fix: ${FIX_APP_CREDENTIAL}.`;
    if (where) at(where, CODES.unsupportedAuth, 'error', message, undefined, true);
    else onCloud(CODES.unsupportedAuth, 'error', message);
  }
  const systemScope = auth.get('system_scope');
  if (present(systemScope))
    at(systemScope, CODES.unsupportedAuth, 'error', `System-scoped tokens have no cloud.conf representation. Fix: ${FIX_APP_CREDENTIAL}.`);
  const apiVersion = r.top.get('identity_api_version');
  const apiText = textOf(apiVersion);
  if (apiVersion && apiText && /^2(\.0)?$/.test(apiText)) {
    at(
      apiVersion,
      CODES.keystoneV2,
      'error',
      'identity_api_version 2 (Keystone v2): the OpenStack CCM needs Keystone v3.',
      fix('Use identity_api_version: 3', [apiVersion.origin.node && replaceEdit(apiVersion.origin.doc, apiVersion.origin.node, '3')]),
      true,
    );
  }

  // auth_url and region.
  const urlAt = auth.get('auth_url');
  if (!r.authUrl) {
    if (!present(urlAt))
      onCloud(
        CODES.missingAuthUrl,
        'error',
        `Cloud "${r.name}" has no auth.auth_url; the OpenStack CCM requires it.`,
        addAuthKey('auth_url', PLACEHOLDER.auth_url),
      );
  } else if (urlAt && /\/v2\.0\/?$/.test(r.authUrl)) {
    const node = urlAt.origin.node;
    const raw = node?.kind === 'scalar' ? node.raw : undefined;
    at(
      urlAt,
      CODES.keystoneV2,
      'error',
      'auth_url points at Keystone v2 (`/v2.0`); the OpenStack CCM needs the v3 endpoint.',
      fix('Use the /v3 endpoint', [
        node && raw && raw.includes('/v2.0')
          ? replaceEdit(urlAt.origin.doc, node, raw.replace(/\/v2\.0(\/?)(["']?)$/, '/v3$1$2'))
          : undefined,
      ]),
      true,
    );
  }
  if (!r.region) {
    onCloud(
      CODES.missingRegion,
      'error',
      `Cloud "${r.name}" has no region (\`region_name\`); the OpenStack CCM requires one.`,
      fix('Add region_name', [entryNode && insertKeyEdit(cloudsDoc, entryNode, 'region_name', quoted(PLACEHOLDER.region_name))]),
    );
  }

  // Credentials per family. A missing one is an error: the cloud.conf would be written, but Keystone refuses it
  // (keystoneauth1 loading: application credential secret required, "a project_name/username is only unique within a
  // domain"; gophercloud 0.12 auth_options.go:224-316 ErrAppCredMissingSecret, ErrUsernameOrUserID, ErrDomainIDOrDomainName,
  // :437 ErrScopeDomainIDOrDomainName), or — without a project — issues a token without the service catalog the CCM needs.
  // An empty value counts as missing (`present`), as every reader treats it as unset.
  const emit = new Set<string>();
  const require = (keys: readonly string[], what: string, add: string): void => {
    if (keys.some(has)) return;
    onCloud(
      CODES.missingCredential,
      'error',
      `Cloud "${r.name}" (${r.authType}) has no ${what}; the OpenStack CCM cannot authenticate without it.`,
      addAuthKey(add, PLACEHOLDER[add] ?? 'CHANGE-ME'),
    );
  };
  const userDomain = ['user_domain_id', 'user_domain_name', 'domain_id', 'domain_name'];
  if (family === 'appcred') {
    require(['application_credential_secret'], 'application_credential_secret', 'application_credential_secret');
    require([
      'application_credential_id',
      'application_credential_name',
    ], 'application_credential_id (or application_credential_name with a user)', 'application_credential_id');
    emit.add('application_credential_secret');
    if (has('application_credential_id')) {
      emit.add('application_credential_id');
    } else if (has('application_credential_name')) {
      emit.add('application_credential_name');
      require(['user_id', 'username'], 'user (username or user_id) for the application credential name', 'username');
      for (const k of ['user_id', 'username', ...userDomain]) emit.add(k);
      if (has('username') && !has('user_id')) require(userDomain, 'user domain (user_domain_name or user_domain_id)', 'user_domain_name');
    }
    for (const k of ['password', 'token']) {
      const v = auth.get(k);
      if (present(v))
        at(
          v,
          CODES.appCredAndPassword,
          'warning',
          `Both an application credential and \`${k}\` are set; the converter uses the application credential and leaves \`${k}\` out. Remove it so every reader authenticates the same way.`,
          removeFix(v, `Remove ${k}`),
        );
    }
  } else if (family === 'password' || family === 'token') {
    if (family === 'password') {
      require(['password'], 'password', 'password');
      require(['user_id', 'username'], 'user (username or user_id)', 'username');
      if (has('username') && !has('user_id'))
        require([
          ...userDomain,
          'default_domain_id',
          'default_domain_name',
          'default_domain',
        ], 'user domain (user_domain_name or user_domain_id)', 'user_domain_name');
      // With user_id, keystoneauth ignores username and the user domain (keystoneauth1 5.0.0
      // identity/v3/password.py get_auth_data) and gophercloud refuses them (gophercloud@95eea8e
      // auth_options.go ToTokenV3CreateMap: "Exactly one of Username and UserID", "DomainID may not be
      // provided when authenticating with a UserID"), so user-id is written alone — and said (CS122).
      const user = has('user_id') ? ['user_id'] : ['username', 'user_domain_id', 'user_domain_name'];
      for (const k of [...user, 'password']) emit.add(k);
      if (has('user_id')) {
        const username = auth.get('username');
        if (present(username))
          at(
            username,
            CODES.userIdAndName,
            'warning',
            '`user_id` and `username` are both set: gophercloud (the CCM) refuses a password login with both, keystoneauth uses the id. The converter writes user_id only; remove `username` so every reader logs in the same way.',
            removeFix(username, 'Remove username'),
          );
        const domain = ['user_domain_id', 'user_domain_name'].map((k) => auth.get(k)).find(present);
        if (domain)
          at(
            domain,
            CODES.userIdAndName,
            'warning',
            'With `user_id` the user domain is left out of cloud.conf: gophercloud (the CCM) refuses a user id together with a domain. Remove the user domain (or use `username` with it).',
          );
      }
    } else {
      require(['token'], 'token', 'token');
      emit.add('token');
      const token = auth.get('token');
      if (present(token))
        at(
          token,
          CODES.tokenExpires,
          'warning',
          'Token authentication: the token expires (usually within a day) and the cluster then loses access to OpenStack. Use an application credential.',
        );
      // The CCM's trust path logs in with the trustee's user id and password only: ToAuth3Options carries no token
      // (kubernetes/cloud-provider-openstack@c453fb7 pkg/client/client.go:170-194, :296-309), so gophercloud refuses
      // the request ("You must provide a password to authenticate"; test/conformance/occm-auth, requestOnly).
      const trust = auth.get('trust_id');
      if (present(trust))
        at(
          trust,
          CODES.unsupportedAuth,
          'error',
          "A token with `trust_id` has no cloud.conf representation: the OpenStack CCM authenticates a trust with the trustee's user and password only and drops the token. Use `auth_type: password` with the trustee's `user_id` and `password` next to `trust_id`.",
        );
    }
    for (const k of ['domain_id', 'domain_name', ...PROJECT_KEYS, 'trust_id']) emit.add(k);
    if (has('trust_id')) {
      // ReadClouds copies no trust_id from clouds.yaml (kubernetes/cloud-provider-openstack@c453fb7
      // pkg/client/client.go:206-239; clientconfig.AuthInfo has no trust field): with use-clouds the trustee would get
      // an unscoped token, without the catalog. cloud.conf's own trust-id survives (replaceEmpty) and takes the trust
      // path (:296-309), so the clouds-yaml Secret's use-clouds cloud.conf carries it (useCloudsCloudConf).
      const trust = auth.get('trust_id');
      if (trust)
        at(
          trust,
          CODES.useCloudsTrust,
          'warning',
          'OCCM and Cinder CSI that read this clouds.yaml through use-clouds (series scs2) take no trust_id from it and would get a token without a project. The clouds-yaml workload Secret therefore also carries a use-clouds cloud.conf with trust-id; point the charts at it.',
        );
      for (const k of PROJECT_KEYS) {
        const v = auth.get(k);
        emit.delete(k);
        if (present(v))
          at(
            v,
            CODES.trustScope,
            'warning',
            `With a trust, \`${k}\` is ignored: the trust carries the project scope.`,
            removeFix(v, `Remove ${k}`),
          );
      }
    } else {
      require(['project_id', 'project_name'], 'project (project_id or project_name)', 'project_name');
      if (has('project_name') && !has('project_id'))
        require([
          'project_domain_id',
          'project_domain_name',
          'domain_id',
          'domain_name',
          'default_domain_id',
          'default_domain_name',
          'default_domain',
        ], 'project domain (project_domain_name or project_domain_id)', 'project_domain_name');
    }
    for (const k of ['application_credential_id', 'application_credential_name', 'application_credential_secret']) {
      const v = auth.get(k);
      if (present(v))
        at(
          v,
          CODES.appCredAndPassword,
          'warning',
          `\`${k}\` is set but auth_type is ${r.authType}; the converter leaves it out. Remove it (or set auth_type: v3applicationcredential) so every reader authenticates the same way.`,
          removeFix(v, `Remove ${k}`),
        );
    }
  }
  const pid = auth.get('project_id');
  const pname = auth.get('project_name');
  if (pid && pname && present(pid) && present(pname) && emit.has('project_id')) {
    at(
      pname,
      CODES.projectIdAndName,
      'warning',
      "`project_id` and `project_name` are both set: keystoneauth and gophercloud scope by the id and ignore the name (openstacksdk's documentation says the name wins). Remove the name so nobody has to guess.",
      removeFix(pname, 'Remove project_name'),
    );
  }
  // default_domain (Go: fills user and project domain ids; keystoneauth rejects it).
  for (const dk of ['default_domain', 'default_domain_id', 'default_domain_name']) {
    const d = auth.get(dk);
    const text = textOf(d);
    if (!d || text === undefined) continue;
    const kind = dk.endsWith('_name') ? 'name' : 'id';
    if (dk === 'default_domain')
      at(
        d,
        CODES.defaultDomain,
        'warning',
        '`default_domain` is read by Go readers only (as the user and project domain id); keystoneauth rejects it. Use `user_domain_id`/`project_domain_id`.',
      );
    if (has('username') && !has('user_domain_id') && !has('user_domain_name')) auth.set(`user_domain_${kind}`, d);
    if (has('project_name') && !has('project_domain_id') && !has('project_domain_name')) auth.set(`project_domain_${kind}`, d);
  }

  // TLS and endpoint type.
  const global: ConfEntry[] = [];
  const planned: PlannedAuth[] = [];
  let cacert: string | undefined;
  const cacertAt = r.top.get('cacert');
  const cacertPath = textOf(cacertAt);
  if (cacertAt && cacertPath) {
    if (r.insecure) {
      at(cacertAt, CODES.cacertIgnored, 'warning', '`cacert` is ignored because TLS verification is off (`verify: false` / `insecure`).');
    } else {
      const read = readCacert(cacertPath, cacertAt.origin.file, options);
      for (const p of read.problems) at(cacertAt, p.code, p.severity, p.message, undefined, true);
      cacert = read.pem;
    }
  }
  for (const k of ['cert', 'key']) {
    const v = r.top.get(k);
    if (present(v))
      at(
        v,
        CODES.clientCert,
        'warning',
        `\`${k}\` (client certificate) is not carried into cloud.conf: mount the files into the pods and add \`cert-file\`/\`key-file\` as extra [Global] keys.`,
      );
  }

  const put = (key: string, value: string | boolean, v: PValue | undefined, secret = false): void => {
    if (typeof value === 'string') {
      const why = unrepresentable(value);
      if (why) {
        if (v)
          at(
            v,
            CODES.unrepresentable,
            'error',
            `cloud.conf cannot carry this value of \`${key}\`: ${why}. Change the value; the converter never alters it.`,
            undefined,
            true,
          );
        return;
      }
    }
    global.push({ key, value, ...(secret ? { secret: true } : {}) });
  };
  if (r.authUrl && urlAt) put('auth-url', r.authUrl, urlAt);
  if (r.region) put('region', r.region.name, r.region.at);
  if (cacert !== undefined) put('ca-file', options.caFileInPod ?? DEFAULT_CA_FILE_IN_POD, undefined);
  if (r.insecure) {
    put('tls-insecure', 'true', undefined);
    // ReadClouds copies auth, region, endpoint type and CA/cert files from clouds.yaml, but no TLS setting
    // (kubernetes/cloud-provider-openstack@c453fb7 pkg/client/client.go:206-239); only a gcfg tls-insecure turns it off (:272).
    // Only for `verify: false`: that is what the Secret's use-clouds cloud.conf follows (`insecure` alone is CS164, Go ignores it).
    const v = r.top.get('verify');
    const message =
      'TLS verification is off: the converted cloud.conf says tls-insecure=true, but OCCM and Cinder CSI that read this clouds.yaml through use-clouds (series scs2) take no TLS setting from it and keep verifying. The clouds-yaml workload Secret therefore also carries a cloud.conf with tls-insecure=true; point the charts at it, or ship the CA (`cacert`) instead.';
    if (v?.kind === 'scalar' && v.node.value === false) at(v, CODES.useCloudsInsecure, 'warning', message);
  }
  const iface = r.top.get('interface');
  const ifaceText = r.formatted.get('interface') ?? textOf(iface);
  if (ifaceText !== undefined) {
    if (ENDPOINT_TYPES.has(ifaceText)) put('os-endpoint-type', ifaceText, iface);
    else if (iface) unknownInterface(iface, ifaceText, at);
  }
  for (const [key, confKey] of CONF_KEYS) {
    if (!emit.has(key)) continue;
    const v = auth.get(key);
    const text = textOf(v);
    if (!v || text === undefined) continue;
    put(confKey, text, v, SECRET_AUTH_KEYS.has(key));
    planned.push({ key, confKey, value: text, at: v });
  }
  return { findings, global, auth: planned, ...(cacert !== undefined ? { cacert } : {}) };
}

/** Records a finding at a value (its key, or the value itself with `onValue`). */
type Locate = (
  v: PValue,
  code: string,
  severity: 'error' | 'warning',
  message: string,
  fixes?: Located['finding']['fixes'],
  onValue?: boolean,
) => void;

/**
 * The endpoint types gophercloud finds in the catalog (gophercloud 0.12 endpoint_search.go Availability;
 * openstack/endpoint_location.go refuses any other with ErrInvalidAvailabilityProvided). gcfg reads
 * `os-endpoint-type` as that named type with a whitespace-delimited scan, so a value with a space does not
 * even parse (cloud-provider-openstack@c453fb7 pkg/client/client.go:56).
 */
const ENDPOINT_TYPES = new Set(['public', 'internal', 'admin']);

/** CS176 at `interface`, offering the endpoint type a Keystone v2 spelling or other casing means (`publicURL` → `public`). */
function unknownInterface(v: PValue, text: string, at: Locate): void {
  const meant = text.trim().replace(/url$/i, '').toLowerCase();
  const node = v.origin.node;
  at(
    v,
    CODES.unknownInterface,
    'error',
    `\`interface\` must be public, internal or admin: the OpenStack CCM and Cinder CSI (gophercloud) find no endpoint for any other value. Change the value; the converter never alters it.`,
    ENDPOINT_TYPES.has(meant) && node ? fix(`Use ${meant}`, [replaceEdit(v.origin.doc, node, meant)]) : undefined,
    true,
  );
}

interface CacertRead {
  /** The certificates to ship (undefined when there is an error). */
  readonly pem?: string;
  readonly problems: readonly { code: string; severity: 'error' | 'warning'; message: string }[];
}

/** The `cacert` file, read through the caller's `readFile`, reduced to its CERTIFICATE blocks. Messages never hold the file's content. */
function readCacert(value: string, from: string, options: ConvertOptions): CacertRead {
  const error = (code: string, message: string): CacertRead => ({ problems: [{ code, severity: 'error', message }] });
  if (value.includes('-----BEGIN'))
    return error(
      CODES.cacertUnreadable,
      '`cacert` holds PEM text, not a path: openstacksdk and the Go readers open it as a file name. Put the PEM into a file and set `cacert` to its path.',
    );
  const file = resolvePath(from, value);
  const read = options.readFile?.(file);
  if (typeof read !== 'string') {
    const why = read?.unreadable ? `: ${read.unreadable}` : '';
    return error(
      CODES.cacertUnreadable,
      `Cannot read the CA certificate ${file}${why}; the PEM must be shipped beside cloud.conf. Fix the path (relative paths are resolved against the clouds file's folder).`,
    );
  }
  const pem = certificatesOnly(read);
  if (!pem.ok) {
    if (pem.problem === 'key')
      return error(
        CODES.cacertPrivateKey,
        `${file} holds a private key (a "${pem.block.label}" block at line ${pem.block.line}): a CA file must hold certificates only, and the key would be copied into every cluster. Remove the key from the file.`,
      );
    if (pem.problem === 'malformed')
      return error(CODES.cacertNotPem, `${file} is not a PEM certificate file: line ${pem.line}: ${pem.why}.`);
    return error(CODES.cacertNotPem, `${file} is not a PEM certificate (no "-----BEGIN CERTIFICATE-----" block).`);
  }
  return {
    pem: pem.pem,
    problems: pem.others.map((b) => ({
      code: CODES.cacertOtherBlock,
      severity: 'warning' as const,
      message: `${file} line ${b.line}: the "${b.label}" block is not shipped; the Go readers (OCCM, Cinder CSI) read CERTIFICATE blocks only.`,
    })),
  };
}

/** `path` relative to the folder of `file` (a path or URI), unless absolute. */
function resolvePath(file: string, path: string): string {
  if (/^([/\\]|[A-Za-z]:[/\\]|[a-z][a-z0-9+.-]*:\/\/)/i.test(path)) return path;
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut < 0 ? path : file.slice(0, cut + 1) + path;
}

/**
 * YAML 1.1 hazards, empty values and values of the wrong type in a cloud's entry (any file). `settings`:
 * the map holds cloud settings (the entry, its `auth`, a `regions` item and its `values`), where a
 * text key must hold text; deeper maps (service options) are only scanned for hazards.
 */
function scanEntry(m: PMap, findings: Located[], depth = 0, settings = true, inAuth = false): void {
  for (const [k, v] of m.entries) {
    const key = k.replace(/-/g, '_');
    if (settings && (TEXT_KEYS.has(key) || (key === 'auth' && v.kind !== 'map' && !isEmpty(v)))) {
      const problem = key === 'auth' ? { code: CODES.notText, why: 'it is not a mapping' } : notText(v);
      if (problem) {
        findings.push({
          file: v.origin.file,
          finding: {
            code: problem.code,
            severity: 'error',
            range: rangeOf(v),
            message:
              key === 'auth'
                ? '`auth` must be a mapping of settings; no reader takes it otherwise.'
                : `\`${k}\` must be a string: ${problem.why}. The converter never drops or rewrites a setting; write it as a quoted string.`,
          },
        });
        continue;
      }
    }
    if (settings && key === 'auth_url' && v.kind === 'scalar' && !v.node.tag && typeof v.node.value !== 'string' && v.node.value !== null) {
      findings.push({
        file: v.origin.file,
        finding: {
          code: CODES.notText,
          severity: 'error',
          range: rangeOf(v),
          message:
            '`auth_url` must be a string: it reads as a number or a boolean, and openstacksdk formats `auth_url` as text and fails. Quote it.',
        },
      });
      continue;
    }
    // !!binary: PyYAML gives bytes, Go the decoded text. A credential in `auth` passes through openstacksdk as
    // bytes (converted, with a warning); `auth_url` and top-level settings it formats, splits or compares as
    // text (loader.py), and fails on bytes (refused).
    if (settings && TEXT_KEYS.has(key) && v.kind === 'scalar' && v.node.value instanceof Uint8Array) {
      const credential = inAuth && key !== 'auth_url';
      findings.push({
        file: v.origin.file,
        finding: {
          code: credential ? CODES.binaryText : CODES.notText,
          severity: credential ? 'warning' : 'error',
          range: rangeOf(v),
          message: credential
            ? `\`${k}\` is \`!!binary\`: the converter and Go readers use the decoded text, but openstacksdk gets bytes, which keystoneauth cannot send. Write the decoded text as a quoted string.`
            : `\`${k}\` must be a string, not \`!!binary\`: openstacksdk handles it as text and fails on bytes. Write the decoded text as a quoted string.`,
        },
      });
      if (!credential) continue;
    }
    if (v.kind === 'map') {
      if (depth < 4) scanEntry(v, findings, depth + 1, settings && (key === 'auth' || key === 'values'), settings && key === 'auth');
      continue;
    }
    if (v.kind === 'seq') {
      if (key === 'regions')
        for (const item of v.items) {
          if (item.kind === 'scalar') {
            const problem = notText(item);
            if (problem)
              findings.push({
                file: item.origin.file,
                finding: {
                  code: problem.code,
                  severity: 'error',
                  range: rangeOf(item),
                  message: `A region name must be a string: ${problem.why}.`,
                },
              });
            else hazard(item, 'name', findings);
          } else if (item.kind === 'map') scanEntry(item, findings, depth + 1, settings);
        }
      continue;
    }
    const nothing = v.node.style === 'plain' && (v.node.raw === '' || /^(~|null|Null|NULL)$/.test(v.node.raw));
    const emptyText = v.node.value === '';
    if (depth <= 1 && isEmpty(v) && (nothing || emptyText)) {
      const kn = v.origin.key;
      findings.push({
        file: v.origin.file,
        finding: {
          code: CODES.emptyValue,
          severity: 'warning',
          range: keyRangeOf(v),
          message: nothing
            ? `\`${k}\` has no value; every reader treats it as not set.`
            : `\`${k}\` is an empty string: Go readers and the converter treat it as not set, openstacksdk keeps it empty.`,
          ...(kn ? { fixes: fix(`Remove ${k}`, [removePairEdit(v.origin.doc, kn, v.origin.node)]) } : {}),
        },
      });
      continue;
    }
    if (TEXT_KEYS.has(key)) hazard(v, k, findings);
  }
}

function hazard(v: PValue, key: string, findings: Located[]): void {
  if (v.kind !== 'scalar' || v.node.style !== 'plain' || v.node.tag) return;
  const reading = yaml11Reading(v.node.raw);
  if (!reading || reading.type === 'null') return;
  const severity = reading.pythonKeepsText ? 'warning' : 'error';
  findings.push({
    file: v.origin.file,
    finding: {
      code: CODES.yaml11,
      severity,
      range: v.node.range,
      message: `The unquoted value of \`${key}\` is ambiguous: ${reading.explanation}. Quote it.`,
      fixes: fix('Quote the value', [replaceEdit(v.origin.doc, v.node, quoted(v.node.raw))]),
    },
  });
}
