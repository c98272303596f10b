// The emulator as strict as kube-apiserver v1.32: query parameters decoded like the generated url.Values
// conversions, object validation with the real 422 bodies, size limits, fieldValidation
// (Strict/Warn/Ignore) against the OpenAPI schemas it serves, CR pruning, defaulting and schema
// validation. Expected texts come from the upstream sources cited in params.ts, validation.ts, schema.ts
// and decode.ts; where kubectl checks the same thing itself (label values, ConfigMap keys) its own
// message (kubectl links the same apimachinery) is the oracle for ours.
import { strict as assert } from 'node:assert';
import { startEmulator, Emulator } from './index';
import { call, kubectl } from './helpers';

const NS = 'st';
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const SECRETS = `/api/v1/namespaces/${NS}/secrets`;
const CLUSTERS = `/apis/cluster.x-k8s.io/v1beta2/namespaces/${NS}/clusters`;
const STACKS = `/apis/clusterstack.x-k8s.io/v1alpha1/namespaces/${NS}/clusterstacks`;
const JSON_PATCH = { contentType: 'application/json-patch+json' };
const MERGE = { contentType: 'application/merge-patch+json' };
const APPLY = { contentType: 'application/apply-patch+yaml' };

const cm = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });
const cluster = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name },
  spec: { topology: { classRef: { name: 'c' }, version: 'v1.33.4' }, ...spec },
});
// With a providerRef: the cluster-stack operator's webhook (admission.ts) refuses a stack that has neither it nor noProvider.
const stack = (spec: Record<string, unknown>) => ({
  apiVersion: 'clusterstack.x-k8s.io/v1alpha1',
  kind: 'ClusterStack',
  metadata: { name: 'cs' },
  spec: {
    provider: 'openstack',
    name: 'scs',
    kubernetesVersion: '1.33',
    providerRef: {
      apiVersion: 'infrastructure.clusterstack.x-k8s.io/v1alpha1',
      kind: 'OpenStackClusterStackReleaseTemplate',
      name: 'cspotemplate',
    },
    ...spec,
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const causes = (body: Json) => body.details.causes.map((c: Json) => [c.reason, c.field]);
const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('emulator strictness (kube-apiserver v1.32 semantics)', function () {
  this.timeout(60_000);
  let em: Emulator;

  before(async () => {
    em = await startEmulator({ name: 'strict', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
    em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seed', namespace: NS, labels: { w: 'x' } }, data: { a: '1' } });
  });
  after(async () => {
    await em.stop();
  });

  describe('query parameters', () => {
    it('a boolean is false only for "0" and "false" in any case; every other spelling is true (runtime/conversion.go)', async () => {
      for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True', 'yes', '']) {
        const r = await call(em, 'GET', `${CM}?watch=${encodeURIComponent(v)}&timeoutSeconds=1&labelSelector=w%3Dx`);
        assert.equal(r.status, 200, v);
        const events = lines(r.text);
        assert.equal(events[0].type, 'ADDED', `watch=${v} is a watch`);
      }
      for (const v of ['0', 'false', 'False', 'FALSE', 'fAlSe']) {
        const r = (await call(em, 'GET', `${CM}?watch=${v}&labelSelector=w%3Dx`)).json();
        assert.equal(r.kind, 'ConfigMapList', `watch=${v} is a list`);
      }
    });

    it('integers go through strconv.ParseInt: 400 with its message', async () => {
      for (const [q, msg] of [
        ['limit=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
        ['limit=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
        ['limit=', 'strconv.ParseInt: parsing "": invalid syntax'],
        ['timeoutSeconds=99999999999999999999&watch=1', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
      ]) {
        const r = await call(em, 'GET', `${CM}?${q}`);
        assert.equal(r.status, 400, q);
        assert.deepEqual([r.json().reason, r.json().message], ['BadRequest', msg], q);
      }
      assert.equal((await call(em, 'GET', `${CM}?limit=%2B1`)).json().items.length, 1, '+1 is a valid int64');
    });

    it('ListOptions are validated (422 ListOptions.meta.k8s.io) after the WatchList defaulting', async () => {
      const list = await call(em, 'GET', `${CM}?sendInitialEvents=true`);
      assert.equal(list.status, 422);
      assert.equal(
        list.json().message,
        'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
      );
      const watch = await call(em, 'GET', `${CM}?watch=1&sendInitialEvents=true`);
      assert.equal(watch.status, 422);
      assert.deepEqual(causes(watch.json()), [['FieldValueForbidden', 'resourceVersionMatch']]);
      assert.equal(
        watch.json().details.causes[0].message,
        'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      );
      // A watch from "" gets initial events, and with bookmarks the end-of-initial-events bookmark (defaults.go:25-37).
      const legacy = lines((await call(em, 'GET', `${CM}?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&labelSelector=w%3Dx`)).text);
      assert.deepEqual(
        legacy.map((e) => e.type),
        ['ADDED', 'BOOKMARK'],
      );
      assert.equal(legacy[1].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    });

    it('write options: dryRun, fieldValidation, fieldManager and force are validated per verb', async () => {
      const dry = await call(em, 'POST', `${CM}?dryRun=Foo`, cm('x'));
      assert.equal(dry.status, 422);
      assert.equal(
        dry.json().message,
        'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Foo"}: supported values: "All"',
      );
      const fv = await call(em, 'PUT', `${CM}/seed?fieldValidation=strict`, cm('seed'));
      assert.equal(
        fv.json().message,
        'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
      );
      const force = await call(em, 'PATCH', `${CM}/seed?force=false`, {}, MERGE);
      assert.equal(
        force.json().message,
        'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
      );
      const manager = await call(em, 'PATCH', `${CM}/seed?fieldManager=a%0Ab`, {}, MERGE);
      assert.equal(
        manager.json().message,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\nb": invalid character U+000A (at position 1)',
      );
      const del = await call(em, 'DELETE', `${CM}/seed`, { propagationPolicy: 'Sideways' });
      assert.equal(
        del.json().message,
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
      );
      assert.ok(em.get('v1', 'ConfigMap', NS, 'seed'));
    });
  });

  describe('object validation (422 Invalid with field causes)', () => {
    it('names per kind: RFC 1123 label for namespaces, subdomain for secrets, path segments for RBAC', async () => {
      const ns = await call(em, 'POST', '/api/v1/namespaces', { metadata: { name: 'a.b' } });
      assert.equal(ns.json().message, 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots');
      const long = 'x'.repeat(254);
      const secret = await call(em, 'POST', SECRETS, { metadata: { name: long } });
      assert.deepEqual(causes(secret.json()), [['FieldValueInvalid', 'metadata.name']]);
      assert.equal(secret.json().details.causes[0].message, `Invalid value: "${long}": must be no more than 253 characters`);
      const role = await call(em, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, {
        metadata: { name: 'system:reader' },
        rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      });
      assert.equal(role.status, 201, 'RBAC names may contain ":"');
      const slash = await call(em, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, { metadata: { name: 'a%b' } });
      assert.equal(
        slash.json().message,
        `Role.rbac.authorization.k8s.io "a%b" is invalid: metadata.name: Invalid value: "a%b": may not contain '%'`,
      );
      const missing = await call(em, 'POST', CM, { metadata: {} });
      assert.equal(missing.json().message, 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    });

    it('generateName: 5 characters of the upstream alphabet, the base cut to 58, the prefix validated', async () => {
      const names = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const r = (await call(em, 'POST', CM, { metadata: { generateName: 'gen-' } })).json();
        assert.match(r.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        assert.equal(r.metadata.generateName, 'gen-');
        names.add(r.metadata.name);
      }
      assert.equal(names.size, 20);
      const base = `${'a'.repeat(60)}-`;
      const cut = (await call(em, 'POST', CM, { metadata: { generateName: base } })).json();
      assert.equal(cut.metadata.name.length, 63);
      assert.equal(cut.metadata.name.slice(0, 58), base.slice(0, 58));
      // With the random source pinned every attempt draws the same name: 8 tries, then the conflict.
      const random = Math.random;
      Math.random = () => 0;
      try {
        assert.equal((await call(em, 'POST', CM, { metadata: { generateName: 'pin-' } })).json().metadata.name, 'pin-bbbbb');
        const clash = await call(em, 'POST', CM, { metadata: { generateName: 'pin-' } });
        assert.deepEqual(
          [clash.status, clash.json().reason, clash.json().message, clash.json().details.retryAfterSeconds],
          [
            409,
            'AlreadyExists',
            'configmaps "pin-bbbbb" already exists, the server was not able to generate a unique name for the object',
            1,
          ],
        );
      } finally {
        Math.random = random;
      }
      const bad = (await call(em, 'POST', CM, { metadata: { generateName: 'Bad-' } })).json();
      assert.deepEqual(
        causes(bad).map(([, f]: string[]) => f),
        ['metadata.generateName', 'metadata.name'],
      );
    });

    it('labels and annotations: keys, values, and 256 KiB of annotations in all', async () => {
      const r = await call(
        em,
        'POST',
        CM,
        cm('lbl', { metadata: { name: 'lbl', labels: { 'example.com/ok': 'yes', 'a/b/c': 'x', k: '-v-' } } }),
      );
      assert.equal(r.status, 422);
      assert.deepEqual(causes(r.json()), [
        ['FieldValueInvalid', 'metadata.labels'],
        ['FieldValueInvalid', 'metadata.labels'],
      ]);
      const [key, value] = r.json().details.causes.map((c: Json) => c.message);
      assert.match(key, /^Invalid value: "a\/b\/c": a qualified name must consist of alphanumeric characters/);
      assert.match(value, /^Invalid value: "-v-": a valid label must be an empty string/);
      const big = await call(em, 'POST', CM, cm('ann', { metadata: { name: 'ann', annotations: { a: 'x'.repeat(256 * 1024) } } }));
      assert.equal(big.json().message, 'ConfigMap "ann" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes');
      assert.deepEqual(causes(big.json()), [['FieldValueTooLong', 'metadata.annotations']]);
      const fits = await call(em, 'POST', CM, cm('ann', { metadata: { name: 'ann', annotations: { a: 'x'.repeat(256 * 1024 - 1) } } }));
      assert.equal(fits.status, 201);
    });

    it('Secret and ConfigMap keys, Secret data up to 1 MiB, ConfigMap data and binaryData up to 1 MiB together', async () => {
      const key = await call(em, 'POST', SECRETS, { metadata: { name: 'k' }, data: { 'a b': 'eA==', '..x': 'eA==' } });
      assert.deepEqual(causes(key.json()), [
        ['FieldValueInvalid', 'data[a b]'],
        ['FieldValueInvalid', 'data[..x]'],
      ]);
      assert.equal(key.json().details.causes[1].message, `Invalid value: "..x": must not start with '..'`);
      const mib = Buffer.alloc(1024 * 1024 + 1, 1).toString('base64');
      const big = await call(em, 'POST', SECRETS, { metadata: { name: 'big' }, data: { blob: mib } });
      assert.equal(big.json().message, 'Secret "big" is invalid: data: Too long: may not be more than 1048576 bytes');
      const exact = await call(em, 'POST', SECRETS, {
        metadata: { name: 'big' },
        data: { blob: Buffer.alloc(1024 * 1024, 1).toString('base64') },
      });
      assert.equal(exact.status, 201);
      const both = await call(
        em,
        'POST',
        CM,
        cm('big', { data: { a: 'x'.repeat(600 * 1024) }, binaryData: { b: Buffer.alloc(500 * 1024).toString('base64') } }),
      );
      assert.equal(both.json().message, 'ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes');
      const dup = await call(em, 'POST', CM, cm('dup', { data: { a: 'x' }, binaryData: { a: 'eA==' } }));
      assert.equal(dup.json().details.causes[0].message, 'Invalid value: "a": duplicate of key present in binaryData');
    });

    it('type-specific Secret checks, immutability and RBAC bindings', async () => {
      const tls = await call(em, 'POST', SECRETS, { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } });
      assert.deepEqual(causes(tls.json()), [['FieldValueRequired', 'data[tls.key]']]);
      await call(em, 'POST', SECRETS, { metadata: { name: 'frozen' }, immutable: true, data: { a: 'eA==' } });
      const change = await call(em, 'PUT', `${SECRETS}/frozen`, { metadata: { name: 'frozen' }, immutable: true, data: { a: 'eQ==' } });
      assert.equal(change.json().message, 'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
      const rb = await call(em, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, {
        metadata: { name: 'rb' },
        roleRef: { kind: 'Role', name: 'system:reader' },
        subjects: [
          { kind: 'User', name: 'alice' },
          { kind: 'Robot', name: 'r2' },
        ],
      });
      assert.deepEqual(causes(rb.json()), [
        ['FieldValueNotSupported', 'roleRef.apiGroup'],
        ['FieldValueNotSupported', 'subjects[1].kind'],
      ]);
      assert.equal(rb.json().details.causes[0].message, 'Unsupported value: "": supported values: "rbac.authorization.k8s.io"');
    });

    it('a value of the wrong JSON type or bad base64 is a 400 from the decoder, whatever fieldValidation says', async () => {
      const label = await call(em, 'POST', `${CM}?fieldValidation=Ignore`, { metadata: { name: 'n', labels: { a: 1 } } });
      assert.equal(
        label.json().message,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
      );
      const data = await call(em, 'POST', CM, { metadata: { name: 'n' }, data: 'x' });
      assert.equal(
        data.json().message,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string',
      );
      const b64 = await call(em, 'POST', SECRETS, { metadata: { name: 'n' }, data: { a: 'abc!' } });
      assert.equal(b64.json().message, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
      const syntax = await call(em, 'POST', CM, '{"metadata": {"name": "n"},}');
      assert.equal(
        syntax.json().message,
        `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '}' looking for beginning of object key string ({"metadata": {"name": "n"},})`,
      );
    });
  });

  describe('size limits', () => {
    it('a body over 3 MiB is 413 RequestEntityTooLarge (MaxRequestBodyBytes)', async () => {
      const r = await call(em, 'POST', CM, cm('huge', { data: { a: 'x'.repeat(3 * 1024 * 1024) } }));
      assert.equal(r.status, 413);
      assert.deepEqual([r.json().reason, r.json().message], ['RequestEntityTooLarge', 'Request entity too large: limit is 3145728']);
    });

    it('an object over etcd’s 1.5 MiB request limit is the 500 "etcdserver: request is too large"; dry runs never reach etcd', async () => {
      const spec = {
        topology: { classRef: { name: 'c' }, version: 'v1.33.4', variables: [{ name: 'blob', value: 'x'.repeat(1600 * 1024) }] },
      };
      const dry = await call(em, 'POST', `${CLUSTERS}?dryRun=All`, cluster('huge', spec));
      assert.equal(dry.status, 201);
      const r = await call(em, 'POST', CLUSTERS, cluster('huge', spec));
      assert.equal(r.status, 500);
      assert.deepEqual(r.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'etcdserver: request is too large',
        code: 500,
      });
      assert.equal(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'huge'), undefined);
    });
  });

  describe('fieldValidation on built-in kinds (known fields from the served OpenAPI)', () => {
    const body = cm('fv', { data: { a: '1' }, spec: { x: 1 }, metadata: { name: 'fv', bogus: true } });

    it('Strict: 400 naming every unknown field in document order; nothing stored', async () => {
      const r = await call(em, 'POST', `${CM}?fieldValidation=Strict`, body);
      assert.equal(r.status, 400);
      assert.equal(
        r.json().message,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.bogus", unknown field "spec"',
      );
      assert.equal(em.get('v1', 'ConfigMap', NS, 'fv'), undefined);
    });

    it('Warn (the default): stored without them, one Warning: 299 header each', async () => {
      const r = await call(em, 'POST', CM, body);
      assert.equal(r.status, 201);
      assert.deepEqual(r.warnings, ['299 - "unknown field \\"metadata.bogus\\""', '299 - "unknown field \\"spec\\""']);
      assert.equal(r.json().spec, undefined);
      assert.equal(em.get('v1', 'ConfigMap', NS, 'fv')?.metadata.bogus, undefined);
    });

    it('Ignore: stored without them, no warning', async () => {
      const r = await call(em, 'PUT', `${CM}/fv?fieldValidation=Ignore`, body);
      assert.equal(r.status, 200);
      assert.deepEqual(r.warnings, []);
    });

    it('duplicate fields are strict errors too', async () => {
      const r = await call(em, 'POST', `${CM}?fieldValidation=Strict`, '{"metadata":{"name":"d","name":"e"},"data":{"a":"1","a":"2"}}');
      assert.equal(
        r.json().message,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", duplicate field "data.a"',
      );
      const warn = await call(em, 'POST', CM, '{"metadata":{"name":"d"},"data":{"a":"1","a":"2"}}');
      assert.equal(warn.json().data.a, '2', 'the last one wins');
    });

    it('patches: the patched object is checked, 422 "patch: Invalid value" under Strict, a warning by default', async () => {
      const merge = await call(em, 'PATCH', `${CM}/fv?fieldValidation=Strict`, { spec: { x: 1 } }, MERGE);
      assert.equal(merge.status, 422);
      const m = merge.json();
      assert.match(m.message, /^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "spec"$/);
      assert.deepEqual(causes(m), [['FieldValueInvalid', 'patch']]);
      const smp = await call(
        em,
        'PATCH',
        `${CM}/fv?fieldValidation=Strict`,
        { spec: { x: 1 }, data: { b: '2' } },
        { contentType: 'application/strategic-merge-patch+json' },
      );
      assert.equal(
        smp.json().message,
        ' "" is invalid: patch: Invalid value: "map[data:map[b:2] spec:map[x:1]]": strict decoding error: unknown field "spec"',
      );
      const json = await call(
        em,
        'PATCH',
        `${CM}/fv?fieldValidation=Strict`,
        [{ op: 'add', path: '/data/b', value: '2', extra: 1 }],
        JSON_PATCH,
      );
      assert.match(json.json().message, /strict decoding error: json patch unknown field "\[0\]\.extra"$/);
      const warned = await call(em, 'PATCH', `${CM}/fv`, { spec: { x: 1 }, data: { b: '3' } }, MERGE);
      assert.deepEqual([warned.status, warned.warnings], [200, ['299 - "unknown field \\"spec\\""']]);
      assert.equal(em.get('v1', 'ConfigMap', NS, 'fv')?.data.b, '3');
    });

    it('server-side apply: an undeclared field fails the typed conversion (500); duplicate keys follow the directive', async () => {
      const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fv', namespace: NS }, spec: { x: 1 } };
      const r = await call(em, 'PATCH', `${CM}/fv?fieldManager=t&fieldValidation=Ignore`, applied, APPLY);
      assert.equal(r.status, 500);
      assert.equal(
        r.json().message,
        `failed to create typed patch object (${NS}/fv; /v1, Kind=ConfigMap): .spec: field not declared in schema`,
      );
      const dupYaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fv\ndata:\n  k: a\n  k: b\n';
      const strict = await call(em, 'PATCH', `${CM}/fv?fieldManager=t&fieldValidation=Strict`, dupYaml, APPLY);
      assert.equal(
        strict.json().message,
        'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "k" already set in map',
      );
      const warn = await call(em, 'PATCH', `${CM}/fv?fieldManager=t`, dupYaml, APPLY);
      assert.deepEqual([warn.status, warn.warnings], [200, ['299 - "line 7: key \\"k\\" already set in map"']]);
    });
  });

  describe('custom resources (structural schemas of the upstream CRDs)', () => {
    it('unknown fields: Strict names them, Warn and Ignore prune them; preserve-unknown subtrees are kept', async () => {
      const body = cluster('prune', {
        foo: 1,
        topology: { classRef: { name: 'c' }, version: 'v1.33.4', variables: [{ name: 'v', value: { any: { deep: true } }, bar: 2 }] },
      });
      const strict = await call(em, 'POST', `${CLUSTERS}?fieldValidation=Strict`, body);
      assert.equal(
        strict.json().message,
        'Cluster in version "v1beta2" cannot be handled as a Cluster: strict decoding error: unknown field "spec.foo", unknown field "spec.topology.variables[0].bar"',
      );
      const warn = await call(em, 'POST', CLUSTERS, body);
      assert.equal(warn.status, 201);
      assert.deepEqual(warn.warnings, [
        '299 - "unknown field \\"spec.foo\\""',
        '299 - "unknown field \\"spec.topology.variables[0].bar\\""',
      ]);
      const stored = em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'prune');
      assert.equal(stored?.spec.foo, undefined);
      assert.deepEqual(stored?.spec.topology.variables, [{ name: 'v', value: { any: { deep: true } } }]);
      const meta = await call(em, 'PATCH', `${CLUSTERS}/prune?fieldValidation=Strict`, { metadata: { nope: 1 } }, MERGE);
      assert.match(meta.json().message, /strict decoding error: unknown field "metadata\.nope"$/);
    });

    it('schema defaults are applied and the OpenAPI validation runs (required, enum, pattern, lengths)', async () => {
      const ok = (await call(em, 'POST', STACKS, stack({}))).json();
      assert.deepEqual([ok.spec.channel, ok.spec.autoSubscribe, ok.spec.noProvider], ['stable', true, false]);
      const bad = await call(em, 'POST', STACKS, {
        ...stack({ channel: 'beta', kubernetesVersion: 'v1.33', provider: '' }),
        metadata: { name: 'bad' },
      });
      assert.equal(bad.status, 422);
      assert.deepEqual(causes(bad.json()).sort(), [
        ['FieldValueInvalid', 'spec.kubernetesVersion'],
        ['FieldValueInvalid', 'spec.provider'],
        ['FieldValueNotSupported', 'spec.channel'],
      ]);
      const msgs = bad
        .json()
        .details.causes.map((c: Json) => c.message)
        .sort();
      assert.deepEqual(msgs, [
        'Invalid value: "": spec.provider in body should be at least 1 chars long',
        'Invalid value: "v1.33": spec.kubernetesVersion in body should match \'^\\d\\.\\d+$\'',
        'Unsupported value: "beta": supported values: "stable", "custom"',
      ]);
      const required = await call(em, 'POST', CLUSTERS, { ...cluster('req'), spec: { topology: { version: 'v1.33.4' } } });
      assert.equal(required.json().message, 'Cluster.cluster.x-k8s.io "req" is invalid: spec.topology.classRef: Required value');
      const type = await call(em, 'POST', CLUSTERS, cluster('typ', { paused: 'yes' }));
      assert.equal(type.json().details.causes[0].message, 'Invalid value: "string": spec.paused in body must be of type boolean: "string"');
    });

    it('updates ratchet: invalid values that did not change pass, changed ones do not; status writes check status only', async () => {
      em.put({ ...stack({ channel: 'beta' }), metadata: { name: 'old', namespace: NS } });
      const label = await call(em, 'PATCH', `${STACKS}/old`, { metadata: { labels: { a: 'b' } } }, MERGE);
      assert.equal(label.status, 200, label.text);
      const status = await call(em, 'PATCH', `${STACKS}/old/status`, { status: { latestRelease: 'x' } }, MERGE);
      assert.equal(status.status, 200, status.text);
      const changed = await call(em, 'PATCH', `${STACKS}/old`, { spec: { channel: 'gamma' } }, MERGE);
      assert.equal(
        changed.json().message,
        'ClusterStack.clusterstack.x-k8s.io "old" is invalid: spec.channel: Unsupported value: "gamma": supported values: "stable", "custom"',
      );
    });

    it('unqualified finalizers on CRs draw warnings; on built-in kinds they are invalid', async () => {
      const r = await call(em, 'POST', CLUSTERS, {
        ...cluster('fin'),
        metadata: { name: 'fin', finalizers: ['cleanup', 'example.com/ok'] },
      });
      assert.equal(r.status, 201);
      assert.deepEqual(r.warnings, [
        '299 - "metadata.finalizers: \\"cleanup\\": prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers"',
      ]);
      const c = await call(em, 'POST', CM, { metadata: { name: 'fin', finalizers: ['cleanup'] } });
      assert.equal(
        c.json().message,
        'ConfigMap "fin" is invalid: metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
      );
    });
  });

  describe('kubectl (v1.32, Strict by default) sees the same', () => {
    it('its own label-value and ConfigMap-key checks word them like the server does', async () => {
      const client = await kubectl(em.kubeconfigPath, ['label', 'cm', 'seed', '-n', NS, 'v=-bad-']);
      const clientMsg = /invalid label value: "v=-bad-": (.*)$/m.exec(client.stderr)?.[1];
      const server = await call(em, 'POST', CM, cm('x', { metadata: { name: 'x', labels: { v: '-bad-' } } }));
      assert.ok(clientMsg, client.stderr);
      assert.equal(server.json().details.causes[0].message, `Invalid value: "-bad-": ${clientMsg}`);
      const key = await kubectl(em.kubeconfigPath, ['create', 'configmap', 'x', '-n', NS, '--from-literal=a b=c']);
      const keyMsg = /"a b" is not a valid key name for a ConfigMap: (.*)$/m.exec(key.stderr)?.[1];
      const serverKey = await call(em, 'POST', CM, cm('x', { data: { 'a b': 'c' } }));
      assert.ok(keyMsg, key.stderr);
      assert.equal(serverKey.json().details.causes[0].message, `Invalid value: "a b": ${keyMsg}`);
    });

    it('create refuses unknown fields, --validate=warn prints the warning, apply --server-side the typed-conversion error', async () => {
      const manifest = JSON.stringify(cm('kc', { metadata: { name: 'kc', namespace: NS }, spec: { x: 1 } }));
      const strict = await kubectl(em.kubeconfigPath, ['create', '-f', '-'], manifest);
      assert.notEqual(strict.code, 0);
      assert.match(
        strict.stderr,
        /ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"/,
      );
      const warn = await kubectl(em.kubeconfigPath, ['create', '--validate=warn', '-f', '-'], manifest);
      assert.equal(warn.code, 0, warn.stderr);
      assert.match(warn.stderr, /^Warning: unknown field "spec"$/m);
      const ssa = await kubectl(em.kubeconfigPath, ['apply', '--server-side', '-f', '-'], manifest);
      assert.match(
        ssa.stderr,
        /failed to create typed patch object \(st\/kc; \/v1, Kind=ConfigMap\): \.spec: field not declared in schema/,
      );
      const explain = await kubectl(em.kubeconfigPath, ['explain', 'clusterstacks.spec.channel']);
      assert.match(explain.stdout, /^ENUM:\n\s+stable\n\s+custom$/m);
    });
  });
});
