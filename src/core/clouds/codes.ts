/**
 * The rule codes of the clouds.yaml core (the README copies this table).
 *
 * | code  | severity | what |
 * |-------|----------|------|
 * | CS001 | error    | YAML syntax error, also a character YAML 1.1 readers refuse anywhere in the file (DEL, C1, U+FFFE; even inside quotes) |
 * | CS002 | error    | file too large, too many nodes, nested deeper than 128 levels (also through aliases or `<<` merges), or an alias bomb (too many alias expansions) |
 * | CS003 | error    | not a clouds file: `clouds:` (or `public-clouds:`) missing, empty or not a mapping, a cloud that is not a mapping (in any of the files), a clouds.yaml value secure.yaml's settings cannot be merged into |
 * | CS101 | error    | `auth.auth_url` missing (fix: add a placeholder) |
 * | CS102 | error    | no region: neither `region_name` nor `regions` (fix: add `region_name`) |
 * | CS103 | error    | a credential Keystone needs is missing or empty: app credential secret, user for an app credential name, password/user, project, the domain of a project or user name (fix: add a placeholder) |
 * | CS104 | warning  | empty value; every reader treats it as unset (fix: remove the key) |
 * | CS105 | error    | a setting read as text (`password`, `auth_url`, `region_name`…) or `auth` itself has the wrong type: a mapping, a list, a tag such as `!!int`/`!!timestamp`; never dropped silently |
 * | CS106 | warning  | a text setting written as `!!binary`: Go readers and the converter use the decoded text, openstacksdk gets bytes that keystoneauth cannot send (fix: write the text) |
 * | CS110 | error    | auth type has no cloud.conf representation, also a token with `trust_id` (the CCM's trust path takes no token) (fix text: create an application credential) |
 * | CS111 | error    | Keystone v2 (`/v2.0` auth_url, `identity_api_version: 2`, `v2*` auth types) (fix: switch to v3) |
 * | CS112 | warning  | application credential without `auth_type`: Go infers it, Python does not (fix: set `auth_type`) |
 * | CS120 | warning  | application credential and password/user both set (fix: remove the unused keys) |
 * | CS121 | warning  | `project_id` and `project_name` both set; the id wins (fix: remove `project_name`) |
 * | CS122 | warning  | password auth with `user_id` and `username` or a user domain: gophercloud refuses them together, the converter writes `user_id` only (fix: remove `username` / the user domain) |
 * | CS130 | error/warning | plain scalar that YAML 1.1 readers (CAPO, Helm, PyYAML) do not read as this text, e.g. `012345`, `yes`, `0x1F`, `1_000`, `1e3`, long digit strings; error when openstacksdk (the converter's reading) changes it too, warning when only Go readers do (fix: quote it) |
 * | CS140 | warning  | `profile`/`cloud` not found in clouds-public.yaml (Go readers fail, Python carries on) |
 * | CS141 | error    | `cacert` cannot be read (missing, not a regular file, over the size limit, or PEM text instead of a path) |
 * | CS142 | error    | `cacert` is not a PEM certificate (no CERTIFICATE block, or a malformed one) |
 * | CS143 | error    | `cacert` holds a private key (refused: only certificates are shipped) |
 * | CS144 | warning  | a `cacert` block that is not a CERTIFICATE (not shipped; the Go readers ignore it) |
 * | CS150 | error    | several clouds and none selected (`--cloud` / `OS_CLOUD`) |
 * | CS151 | error    | the selected cloud does not exist |
 * | CS161 | warning  | an auth setting outside `auth:`; Python moves it in, Go readers ignore it (fix: move it into `auth`) |
 * | CS162 | warning  | dashed or legacy key spelling (`project-id`, `tenant_name`, `auth_token`, `region-name`…); Python accepts it, Go ignores it (fix: rename) |
 * | CS163 | warning  | `regions` without `region_name`: Python uses the first region, Go none (fix: replace with `region_name`) |
 * | CS164 | warning  | `insecure`: Python honours it, Go ignores it (fix: `verify: false`) |
 * | CS165 | warning  | `{placeholder}` in `auth_url`, `region_name` or `interface`: Python fills it in, Go keeps it literally; error when openstacksdk's str.format cannot parse a top-level setting or nothing fills it |
 * | CS166 | warning  | per-region `values` apply in Python only when that region is the one used; Go applies them only for an explicit region |
 * | CS167 | warning  | `default_domain`: Go fills user/project domain from it, keystoneauth rejects it |
 * | CS170 | warning  | token auth: the token expires, the cluster loses access |
 * | CS171 | warning  | `cert`/`key` (client certificate) are not carried into cloud.conf |
 * | CS172 | warning  | `cacert` is ignored because TLS verification is off |
 * | CS173 | warning  | trust: project settings are ignored (the trust carries the scope) |
 * | CS174 | warning  | `verify: false`: OCCM/Cinder CSI with `use-clouds` (series scs2) take no TLS setting from clouds.yaml; the pushed cloud.conf carries `tls-insecure=true` |
 * | CS175 | warning  | `trust_id`: OCCM/Cinder CSI with `use-clouds` (series scs2) take no trust from clouds.yaml; the pushed cloud.conf carries `trust-id` |
 * | CS176 | error    | `interface` other than public, internal or admin: gophercloud (OCCM, Cinder CSI) finds no endpoint for it |
 * | CS180 | error    | a value cloud.conf cannot carry (CR, NUL, control characters, invalid Unicode); a file that is not UTF-8; `!!binary` that is not UTF-8 text |
 * | CS181 | error    | an extra cloud.conf section/key the OpenStack CCM would reject |
 */
export const CODES = {
  yamlSyntax: 'CS001',
  limits: 'CS002',
  shape: 'CS003',
  missingAuthUrl: 'CS101',
  missingRegion: 'CS102',
  missingCredential: 'CS103',
  emptyValue: 'CS104',
  notText: 'CS105',
  binaryText: 'CS106',
  unsupportedAuth: 'CS110',
  keystoneV2: 'CS111',
  inferredAuthType: 'CS112',
  appCredAndPassword: 'CS120',
  projectIdAndName: 'CS121',
  userIdAndName: 'CS122',
  yaml11: 'CS130',
  profileMissing: 'CS140',
  cacertUnreadable: 'CS141',
  cacertNotPem: 'CS142',
  cacertPrivateKey: 'CS143',
  cacertOtherBlock: 'CS144',
  noCloudSelected: 'CS150',
  cloudNotFound: 'CS151',
  outsideAuth: 'CS161',
  legacySpelling: 'CS162',
  regionsList: 'CS163',
  insecureKey: 'CS164',
  authUrlPlaceholder: 'CS165',
  regionValues: 'CS166',
  defaultDomain: 'CS167',
  tokenExpires: 'CS170',
  clientCert: 'CS171',
  cacertIgnored: 'CS172',
  trustScope: 'CS173',
  useCloudsInsecure: 'CS174',
  useCloudsTrust: 'CS175',
  unknownInterface: 'CS176',
  unrepresentable: 'CS180',
  extraSection: 'CS181',
} as const;

export const FIX_APP_CREDENTIAL =
  'create an application credential (`openstack application credential create --secret <secret> <name>`) and use `auth_type: v3applicationcredential` with its id and secret';
