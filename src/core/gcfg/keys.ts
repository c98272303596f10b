/**
 * The key catalogue: the cloud.conf sections and keys the OpenStack cloud-controller-manager (OCCM) and
 * Cinder CSI actually bind (docs/domain.md §5.1–5.3: pkg/client AuthOpts, pkg/openstack Config,
 * pkg/csi/cinder/openstack Config), with the Go type of each, and how gcfg matches a written name to
 * them. How a value becomes a Go type is goValues.ts; reading a whole document is decode.ts; checking
 * user-supplied extra sections is validate.ts.
 */

export type Consumer = 'occm' | 'csi';
export type KeyType = 'string' | 'bool' | 'int' | 'duration' | 'multi-string' | 'map';
/** The Go type of the field, which decides how gcfg parses the value. */
export type GoType =
  | 'string'
  | 'gophercloud.Availability'
  | 'bool'
  | 'uint'
  | 'int'
  | 'int64'
  | 'util.MyDuration'
  | '[]string'
  | 'map[string]*openstack.LBClass';

export interface KeySpec {
  /** The name gcfg matches (its tag, or the Go field name for untagged fields), written lowercase. */
  readonly name: string;
  readonly type: KeyType;
  readonly goType: GoType;
  readonly consumers: readonly Consumer[];
  /** Holds a credential: never echo the value. */
  readonly secret?: boolean;
  readonly note?: string;
}

export interface SectionSpec {
  /** The Go field name of the section (gcfg matches it case-insensitively, `-` for `_`). */
  readonly name: string;
  /** Who reads it and whether `[Name "sub"]` subsections are read (a map field) or ignored (a struct). */
  readonly consumers: Readonly<Partial<Record<Consumer, 'struct' | 'map'>>>;
  readonly keys: readonly KeySpec[];
  readonly note?: string;
}

const BOTH: readonly Consumer[] = ['occm', 'csi'];
const OCCM: readonly Consumer[] = ['occm'];
const CSI: readonly Consumer[] = ['csi'];

const str = (name: string, consumers = BOTH, extra: Partial<KeySpec> = {}): KeySpec => ({
  name,
  type: 'string',
  goType: 'string',
  consumers,
  ...extra,
});
const bool = (name: string, consumers = BOTH, note?: string): KeySpec => ({
  name,
  type: 'bool',
  goType: 'bool',
  consumers,
  ...(note ? { note } : {}),
});
const dur = (name: string, consumers = BOTH): KeySpec => ({
  name,
  type: 'duration',
  goType: 'util.MyDuration',
  consumers,
  note: 'a Go duration with a unit, e.g. 5s, 1m30s (time.ParseDuration); a bare number is a fatal error',
});
const secret = (name: string): KeySpec => str(name, BOTH, { secret: true });

const GLOBAL_KEYS: readonly KeySpec[] = [
  str('auth-url', BOTH, { note: 'Keystone v3 URL; required' }),
  str('region', BOTH, { note: 'untagged field Region; required' }),
  {
    name: 'os-endpoint-type',
    type: 'string',
    goType: 'gophercloud.Availability',
    consumers: BOTH,
    note: 'public (default), internal or admin; a single word (gcfg scans a named string type with %v)',
  },
  str('ca-file'),
  str('cert-file', BOTH, { note: 'used only together with key-file' }),
  str('key-file', BOTH, { note: 'used only together with cert-file' }),
  str('username', BOTH, { note: 'untagged field Username (`user-name` does not match)' }),
  secret('password'),
  str('user-id'),
  str('domain-id'),
  str('domain-name'),
  str('tenant-id', BOTH, { note: 'the project ID (there is no project-id key)' }),
  str('tenant-name', BOTH, { note: 'the project name (there is no project-name key)' }),
  str('tenant-domain-id'),
  str('tenant-domain-name'),
  str('user-domain-id'),
  str('user-domain-name'),
  str('trust-id'),
  str('trustee-id'),
  secret('trustee-password'),
  bool('use-clouds', BOTH, 'true: fill empty fields from clouds.yaml'),
  str('clouds-file'),
  str('cloud'),
  str('application-credential-id'),
  str('application-credential-name'),
  secret('application-credential-secret'),
  str('tls-insecure', BOTH, { note: 'a string compared with exactly "true"; anything else keeps TLS verification on' }),
  secret('token'),
  str('cafilecontents', BOTH, { note: 'untagged field CAFileContents (manila legacy)' }),
];

const LB_CLASS_KEYS = [
  'floating-network-id',
  'floating-subnet-id',
  'floating-subnet',
  'floating-subnet-tags',
  'network-id',
  'subnet-id',
  'member-subnet-id',
];
const METADATA_KEYS: readonly KeySpec[] = [
  str('search-order', BOTH, { note: 'configDrive and/or metadataService, comma-separated, at most 2' }),
  dur('request-timeout'),
];

export const SECTIONS: readonly SectionSpec[] = [
  {
    name: 'Global',
    consumers: { occm: 'struct', csi: 'map' },
    keys: GLOBAL_KEYS,
    note: '`[Global "name"]` subsections are read by Cinder CSI only; OCCM ignores them',
  },
  {
    name: 'LoadBalancer',
    consumers: { occm: 'struct' },
    keys: [
      bool('enabled', OCCM),
      str('lb-version', OCCM),
      str('subnet-id', OCCM),
      str('member-subnet-id', OCCM),
      str('network-id', OCCM),
      str('floating-network-id', OCCM),
      str('floating-subnet-id', OCCM),
      str('floating-subnet', OCCM),
      str('floating-subnet-tags', OCCM),
      {
        // LoadBalancerOpts.LBClasses has no gcfg tag (cloud-provider-openstack@c453fb7 pkg/openstack/openstack.go:104): gcfg binds
        // the name to this map field by its Go name (set.go fieldFold) and has no setter for a map, so any value is fatal.
        name: 'lbclasses',
        type: 'map',
        goType: 'map[string]*openstack.LBClass',
        consumers: OCCM,
        note: 'cannot be written: an untagged map field, fatal for gcfg; use [LoadBalancerClass "name"] sections',
      },
      str('lb-method', OCCM, { note: 'ROUND_ROBIN (default); SOURCE_IP_PORT for ovn' }),
      str('lb-provider', OCCM, { note: 'amphora (default), octavia, ovn, f5, amphorav2' }),
      bool('create-monitor', OCCM),
      dur('monitor-delay', OCCM),
      dur('monitor-timeout', OCCM),
      { name: 'monitor-max-retries', type: 'int', goType: 'uint', consumers: OCCM },
      { name: 'monitor-max-retries-down', type: 'int', goType: 'uint', consumers: OCCM },
      bool('manage-security-groups', OCCM),
      bool('internal-lb', OCCM),
      str('node-selector', OCCM),
      bool('cascade-delete', OCCM),
      str('flavor-id', OCCM),
      str('availability-zone', OCCM),
      bool('enable-ingress-hostname', OCCM),
      str('ingress-hostname-suffix', OCCM),
      { name: 'max-shared-lb', type: 'int', goType: 'int', consumers: OCCM },
      str('container-store', OCCM),
      bool('provider-requires-serial-api-calls', OCCM),
      str('default-tls-container-ref', OCCM),
    ],
  },
  {
    name: 'LoadBalancerClass',
    consumers: { occm: 'map' },
    keys: LB_CLASS_KEYS.map((k) => str(k, OCCM)),
    note: 'named classes: `[LoadBalancerClass "name"]`',
  },
  {
    name: 'Networking',
    consumers: { occm: 'struct' },
    keys: [
      bool('ipv6-support-disabled', OCCM),
      {
        name: 'public-network-name',
        type: 'multi-string',
        goType: '[]string',
        consumers: OCCM,
        note: 'repeat the key for several networks',
      },
      {
        name: 'internal-network-name',
        type: 'multi-string',
        goType: '[]string',
        consumers: OCCM,
        note: 'repeat the key for several networks',
      },
      str('address-sort-order', OCCM),
    ],
  },
  { name: 'Route', consumers: { occm: 'struct' }, keys: [str('router-id', OCCM)] },
  { name: 'Metadata', consumers: { occm: 'struct', csi: 'struct' }, keys: METADATA_KEYS },
  {
    name: 'BlockStorage',
    consumers: { csi: 'struct' },
    keys: [
      { name: 'node-volume-attach-limit', type: 'int', goType: 'int64', consumers: CSI },
      bool('rescan-on-resize', CSI),
      bool('ignore-volume-az', CSI),
      bool('ignore-volume-microversion', CSI),
    ],
  },
];

/** Keys csp-helper writes that no consumer binds. */
export const NON_KEYS: Readonly<Record<string, { readonly section: string; readonly why: string; readonly instead?: string }>> = {
  'project-id': {
    section: 'Global',
    why: 'there is no project-id key in cloud.conf (OCCM and Cinder CSI read tenant-id)',
    instead: 'tenant-id',
  },
  'use-octavia': { section: 'LoadBalancer', why: 'use-octavia was removed from OCCM in 2022; Octavia is always used' },
};

/** Go's strings.EqualFold against an ASCII name: ASCII case-insensitive, plus the two non-ASCII runes that fold to ASCII letters. */
export function gcfgNameEquals(written: string, name: string): boolean {
  const fold = (s: string): string =>
    s
      .replace(/[A-Z]/g, (c) => c.toLowerCase())
      .replace(/\u212a/g, 'k')
      .replace(/\u017f/g, 's');
  return fold(written) === fold(name);
}

/** The section gcfg binds `name` to (field names: `-` in the file is `_` in Go, so `Load-Balancer` matches nothing). */
export function findSection(name: string): SectionSpec | undefined {
  return SECTIONS.find((s) => gcfgNameEquals(name, s.name));
}

/** The key of `section` gcfg binds `name` to. Untagged fields (username, password, region, cafilecontents) match the field name, so `-` never matches. */
export function findKey(section: SectionSpec, name: string): KeySpec | undefined {
  return section.keys.find((k) => gcfgNameEquals(UNTAGGED.has(k.name) ? name.replace(/-/g, '_') : name, k.name));
}

/** Fields without a gcfg tag (AuthOpts, LoadBalancerOpts.LBClasses): gcfg matches them by Go field name, with `-` standing for `_`. */
const UNTAGGED: ReadonlySet<string> = new Set(['username', 'password', 'region', 'cafilecontents', 'lbclasses']);

/** Why a key bound to an untagged map field can never be written (LoadBalancerOpts.LBClasses). */
export const UNSETTABLE = (name: string): string =>
  `"${name}" names the untagged map field LoadBalancerOpts.LBClasses: gcfg cannot set it and OCCM refuses the whole cloud.conf; write [LoadBalancerClass "name"] sections instead`;

/** A human name for a key's type. */
export function describe(key: KeySpec): string {
  switch (key.goType) {
    case 'util.MyDuration':
      return 'duration (a number with a unit: ns, us, ms, s, m, h)';
    case 'bool':
      return 'boolean (true/yes/on/1 or false/no/off/0)';
    case 'uint':
      return 'non-negative integer';
    case 'int':
    case 'int64':
      return 'integer';
    case 'gophercloud.Availability':
      return 'single word (public, internal or admin)';
    case 'map[string]*openstack.LBClass':
      return 'map field';
    default:
      return key.type;
  }
}
