/**
 * Tricky cloud.conf texts for comparing the TypeScript gcfg model with the real gcfg: the peer
 * lint cases, the domain.md §5.5 examples, hand-written edge cases, and random texts built from
 * fragments that exercise every scanner/reader/setter rule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

export interface PeerLintCase {
  readonly name: string;
  readonly text: string;
  /** 1-based line a linter must report; null: no error-level finding. */
  readonly line: number | null;
  readonly severity: 'error' | 'warning' | 'info' | null;
}

/** The `lint[]` cases of peer-cases.json: the peers' own test data, each naming its `source` (copied from the project's shared research). */
export function peerLintCases(): PeerLintCase[] {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, 'peer-cases.json'), 'utf8')) as { lint: PeerLintCase[] }).lint;
}

const G = '[Global]\n';
export const HANDWRITTEN: readonly (string | Uint8Array)[] = [
  // LoadBalancerOpts.LBClasses: untagged map field, bound by its Go name, fatal for any value (cloud-provider-openstack openstack.go:104)
  '[LoadBalancer]\nlbclasses = x\n',
  '[LoadBalancer]\nLBClasses\n',
  '[loadbalancer]\nLbClasses = "a"\n',
  '[LoadBalancer]\nlb-classes = x\n',
  '[LoadBalancer]\nlb_classes = x\n',
  // §5.5 worked examples
  `${G}password="p@ss \\"w0rd\\" \\\\ #1; ü€ "\n`,
  `${G}password=p@ss "w0rd" \\ #1; ü€ \n`,
  `${G}password=pa#ss\n`,
  `${G}password=pa;ss\n`,
  `${G}password="pa"ss"\n`,
  `${G}password="val" "ue"\n`,
  `${G}password=" value "\n`,
  `${G}password=value \\\n value\n`,
  `${G}password="a\\\nb"\n`,
  `${G}password="\\a"\n`,
  `${G}password=\\a\n`,
  `${G}password=\\"quoted\\"\n`,
  `${G}password=a\r\nregion=b\r\n`,
  `${G}password="a\rb"\n`,
  `${G}password=a\\\r\nb\n`,
  `${G}password=a\0b\n`,
  `\ufeff${G}region=x\n`,
  `${G}region=x\n\ufeff`,
  `${G}region\n`,
  `${G}use-clouds\n`,
  `${G}region=\n`,
  `${G}region=""\n`,
  `${G}region = x ; comment\n`,
  `${G}region = "x" ; comment\n`,
  `${G}region = "x" y\n`,
  `${G}Region=x\nREGION=y\n`,
  `${G}user-name=x\nuser_name=y\n`,
  `${G}Auth-URL=x\n`,
  `${G}auth-url=x\n[global]\nauth-url=y\n`,
  '[sec ""]\nx=y\n',
  '[sec.sub]\nx=y\n',
  '[Global "a\\tb"]\nregion=x\n',
  '[Global "a\\"b"]\nregion=x\n',
  '[Global "a\\\\b"]\nregion=x\n',
  '[Global "x"]\nregion=x\n',
  '[Global "x" "y"]\n',
  '[Global\n',
  '[Global] x\n',
  '[Global] ; c\nregion=x\n',
  '[\n',
  '[]\n',
  '[1abc]\n',
  '= x\n',
  '"x"\n',
  `${G}= x\n`,
  `${G}region x\n`,
  `${G}region=x=y\n`,
  `${G}region="x\n`,
  `${G}region="x`,
  `${G}region=x\\`,
  `${G}region=x\\\n`,
  `${G}region=x #c\n`,
  `${G}region=\t x \t\n`,
  `${G}region="\t x \t"\n`,
  `${G}os-endpoint-type=internal\n`,
  `${G}os-endpoint-type=" internal "\n`,
  `${G}os-endpoint-type=a b\n`,
  `${G}os-endpoint-type=""\n`,
  `${G}os-endpoint-type="a\\nb"\n`,
  `${G}os-endpoint-type="\\ninternal"\n`,
  `${G}os-endpoint-type\n`,
  `${G}tls-insecure=yes\n`,
  `${G}use-clouds=YES\n`,
  `${G}use-clouds=maybe\n`,
  `${G}use-clouds=" true"\n`,
  `${G}use-clouds=İ\n`,
  '[LoadBalancer]\nmonitor-delay=5\n',
  '[LoadBalancer]\nmonitor-delay=5s\nmonitor-timeout=1h2m3.5s\n',
  '[LoadBalancer]\nmonitor-delay=-1.5m\nmonitor-timeout=+0\n',
  '[LoadBalancer]\nmonitor-delay=.5s\nmonitor-timeout=5.s\n',
  '[LoadBalancer]\nmonitor-delay=1µs\nmonitor-timeout=1μs\n',
  '[LoadBalancer]\nmonitor-delay=5q\n',
  '[LoadBalancer]\nmonitor-delay=9223372036854775807ns\n',
  '[LoadBalancer]\nmonitor-delay=9223372036854775808ns\n',
  '[LoadBalancer]\nmonitor-delay=-9223372036854775808ns\n',
  '[LoadBalancer]\nmonitor-delay=2562047h47m16.854775807s\n',
  '[LoadBalancer]\nmonitor-delay=0.000000000000000000001h\n',
  '[LoadBalancer]\nmonitor-delay=" 5s"\n',
  '[LoadBalancer]\nmonitor-delay=""\n',
  '[LoadBalancer]\nmonitor-delay\n',
  '[LoadBalancer]\nmonitor-max-retries=3\nmax-shared-lb=-3\n',
  '[LoadBalancer]\nmonitor-max-retries=-3\n',
  '[LoadBalancer]\nmonitor-max-retries=+3\n',
  '[LoadBalancer]\nmax-shared-lb=+3\n',
  '[LoadBalancer]\nmax-shared-lb=0x1F\nmonitor-max-retries=0x_1f\n',
  '[LoadBalancer]\nmax-shared-lb=0x\n',
  '[LoadBalancer]\nmax-shared-lb=-0x10\n',
  '[LoadBalancer]\nmonitor-max-retries=-0x10\n',
  '[LoadBalancer]\nmax-shared-lb=0X10\n',
  '[LoadBalancer]\nmax-shared-lb=010\n',
  '[LoadBalancer]\nmax-shared-lb=1_000\n',
  '[LoadBalancer]\nmax-shared-lb=0x1__0\n',
  '[LoadBalancer]\nmax-shared-lb=0x10_\n',
  '[LoadBalancer]\nmax-shared-lb=" 7 "\n',
  '[LoadBalancer]\nmax-shared-lb="7 x"\n',
  '[LoadBalancer]\nmax-shared-lb="7\\nx"\n',
  '[LoadBalancer]\nmax-shared-lb=""\n',
  '[LoadBalancer]\nmax-shared-lb=-\n',
  '[LoadBalancer]\nmax-shared-lb=9223372036854775807\n',
  '[LoadBalancer]\nmax-shared-lb=9223372036854775808\n',
  '[LoadBalancer]\nmax-shared-lb=-9223372036854775808\n',
  '[LoadBalancer]\nmonitor-max-retries=18446744073709551615\n',
  '[LoadBalancer]\nmonitor-max-retries=18446744073709551616\n',
  '[LoadBalancer]\nmax-shared-lb=٣\n',
  '[LoadBalancer]\ncreate-monitor\nuse-octavia=true\n',
  '[LoadBalancer "x"]\ncreate-monitor=maybe\n',
  '[LoadBalancerClass "ext"]\nsubnet-id=s\nfloating-network-id=f\n',
  '[LoadBalancerClass]\nsubnet-id=s\n',
  '[LoadBalancerClass "a"]\n[LoadBalancerClass "b"]\nsubnet-id\n',
  '[Networking]\npublic-network-name=a\npublic-network-name\npublic-network-name=b\n',
  '[Networking]\npublic-network-name\n',
  '[Networking]\ninternal-network-name=""\n',
  '[BlockStorage]\nnode-volume-attach-limit=x\n',
  '[BlockStorage]\nnode-volume-attach-limit=-256\nrescan-on-resize=on\n',
  '[Metadata]\nsearch-order=configDrive\nrequest-timeout=30\n',
  '[Route]\nrouter-id=r\n',
  '[load-balancer]\nx=y\n',
  '[LOADBALANCER]\nCREATE-MONITOR=No\n',
  `${G}\u212aey-file=x\n`,
  `${G}pa\u017fsword=x\n`,
  `${G}région=x\n`,
  `${G}password=😀\n`,
  `${G}region=x\n[Global "two"]\nuse-clouds=maybe\n`,
  `${G}use-clouds=maybe\nregion=x y\n[`,
  `${G}region=x\n[LoadBalancerClass "c"]\nsubnet-id\n[LoadBalancer]\ncreate-monitor=maybe\n`,
  Uint8Array.from([...Buffer.from(`${G}password=a`), 0xff, 0x0a]),
  Uint8Array.from([...Buffer.from(`${G}password="a`), 0xed, 0xa0, 0x80, 0x22, 0x0a]),
  Uint8Array.from([...Buffer.from(`${G}region=x\n`), 0xc0, 0xaf]),
  Uint8Array.from([...Buffer.from(`${G}region=x\n`), 0xe2, 0x82]),
  '',
  '\n\n',
  '; only a comment',
  `${G}region=x\n\0`,
  `${G}region=x\n\0\0`,
  `${G}region="a\\`,
  `${G}region="\\`,
  '[Global "\n',
  '[Global "a\\nb"]\n',
];

const NAMES = [
  'Global',
  'global',
  'LoadBalancer',
  'LoadBalancerClass',
  'Networking',
  'Route',
  'Metadata',
  'BlockStorage',
  'Unknown',
  'load-balancer',
];
const KEYS = [
  'auth-url',
  'region',
  'Region',
  'username',
  'password',
  'user-name',
  'tenant-id',
  'project-id',
  'use-clouds',
  'tls-insecure',
  'os-endpoint-type',
  'create-monitor',
  'monitor-delay',
  'monitor-max-retries',
  'max-shared-lb',
  'public-network-name',
  'search-order',
  'request-timeout',
  'node-volume-attach-limit',
  'rescan-on-resize',
  'subnet-id',
  'router-id',
  'unknown-key',
  'x',
];
const BENIGN_BITS = [
  'a',
  'Z',
  '0',
  '1',
  '5',
  '-',
  '+',
  '.',
  'x',
  's',
  'ms',
  'h',
  'yes',
  'no',
  'true',
  'maybe',
  '0x1f',
  '9223372036854775808',
  ' ',
  '  ',
  '\t',
  '=',
  '[',
  ']',
  'ü',
  '€',
  '😀',
  '\u00a0',
  '\u3000',
  'µs',
  'İ',
  'Σ',
];
const RISKY_BITS = ['"', '\\"', '\\\\', '\\n', '\\t', '\\a', '\\', ';', '#', '\r', '\\\n', '\n'];

/** Random cloud.conf texts assembled from fragments that hit the scanner's, reader's and setters' rules. */
export function randomTexts(count: number, seed: number): string[] {
  const bits = (pool: string[]): fc.Arbitrary<string> => fc.array(fc.constantFrom(...pool), { maxLength: 8 }).map((a) => a.join(''));
  const quoted = bits([...BENIGN_BITS, ';', '#', '\\"', '\\\\', '\\n', '\\t']).map((v) => `"${v}"`);
  const value = fc.oneof(
    { weight: 6, arbitrary: bits(BENIGN_BITS) },
    { weight: 2, arbitrary: quoted },
    { weight: 2, arbitrary: bits([...BENIGN_BITS, ...RISKY_BITS]) },
  );
  const header = fc.oneof(
    fc.constantFrom(...NAMES).map((n) => `[${n}]`),
    fc.tuple(fc.constantFrom(...NAMES), value).map(([n, v]) => `[${n} "${v}"]`),
    fc.constantFrom('[Global ""]', '[Global.x]', '[Global', '[ Global ]', '[Global] ;c', '[Global] x'),
  );
  const goodHeader = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...NAMES).map((n) => `[${n}]`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NAMES), bits(BENIGN_BITS)).map(([n, v]) => `[${n} "${v || 'x'}"]`) },
    { weight: 1, arbitrary: header },
  );
  const variable = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('=', ' = ', '\t=\t', '= '), value).map(([k, s, v]) => `${k}${s}${v}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(...KEYS) },
    { weight: 1, arbitrary: fc.constantFrom('; comment', '# comment', '', '   ', 'auth_url=x', '= x', '"x"') },
  );
  const line = fc.oneof({ weight: 1, arbitrary: goodHeader }, { weight: 5, arbitrary: variable });
  const text = fc
    .tuple(goodHeader, fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
    .map(([h, lines, eol, final]) => [h, ...lines].join(eol) + (final ? eol : ''));
  return fc.sample(text, { numRuns: count, seed });
}
