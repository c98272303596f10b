import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import {
  cloudConfigSecret,
  cloudsYamlForPods,
  cloudsYamlSecret,
  expectedIdentity,
  identitySecret,
  resourceSet,
  unb64,
  unwrapResourceSet,
  useCloudsCloudConf,
} from '../../../../src/core/manifests/credentials';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures');
const fixture = (rel: string): Record<string, unknown> =>
  yaml.load(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as Record<string, unknown>;
type Secretish = { metadata: Record<string, unknown>; data: Record<string, string>; type: string };

const CLOUDS = `clouds:
  openstack:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      application_credential_id: app-id-0001
      application_credential_secret: "T0p;Secret #1"
    region_name: RegionOne
    cacert: /home/someone/ca.pem
`;
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

describe('credential manifests', () => {
  describe('expectedIdentity (what the tenant ClusterClass expects)', () => {
    it('reads identityRef defaults of an scs2 ClusterClass', () => {
      const cc = fixture('clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml');
      assert.deepEqual(expectedIdentity(cc), { secretName: 'openstack', cloudName: 'openstack', source: 'identityRef' });
    });
    it('reads secret_name / cloud_name defaults of an scs ClusterClass', () => {
      const cc = fixture('clusterclass/openstack-scs-1-32-v1-clusterclass-derived.yaml');
      assert.deepEqual(expectedIdentity(cc), { secretName: 'openstack', cloudName: 'openstack', source: 'secret_name' });
    });
    it('follows non-default values and an object-level default', () => {
      const scs = {
        spec: {
          variables: [
            { name: 'secret_name', schema: { openAPIV3Schema: { type: 'string', default: 'tenant-creds' } } },
            { name: 'cloud_name', schema: { openAPIV3Schema: { type: 'string', default: 'prod' } } },
          ],
        },
      };
      assert.deepEqual(expectedIdentity(scs), { secretName: 'tenant-creds', cloudName: 'prod', source: 'secret_name' });
      const scs2 = {
        spec: {
          variables: [
            {
              name: 'identityRef',
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  default: { name: 'x-creds' },
                  properties: { cloudName: { type: 'string', default: 'x' } },
                },
              },
            },
          ],
        },
      };
      assert.deepEqual(expectedIdentity(scs2), { secretName: 'x-creds', cloudName: 'x', source: 'identityRef' });
    });
    it('falls back to openstack/openstack for anything else', () => {
      for (const v of [undefined, null, 42, {}, { spec: { variables: 'nope' } }]) {
        assert.deepEqual(expectedIdentity(v), { secretName: 'openstack', cloudName: 'openstack', source: 'default' });
      }
    });
  });

  it('builds the tenant identity secret exactly like csp-helper (fixture)', () => {
    const fx = fixture('secrets/scs-tenant-openstack-identity-secret-derived.yaml') as unknown as Secretish;
    const mine = identitySecret({
      namespace: 'my-tenant',
      name: 'openstack',
      payload: { 'clouds.yaml': unb64(fx.data['clouds.yaml']), cloudName: 'openstack' },
    });
    assert.deepEqual(JSON.parse(JSON.stringify(mine)), {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'openstack', namespace: 'my-tenant', labels: { 'clusterctl.cluster.x-k8s.io/move': '' } },
      data: fx.data,
    });
  });

  it('adds cacert to the identity secret only when there is one', () => {
    const s = identitySecret({ namespace: 't', name: 'creds', payload: { 'clouds.yaml': CLOUDS, cloudName: 'openstack', cacert: PEM } });
    assert.deepEqual(Object.keys(s.data), ['cacert', 'cloudName', 'clouds.yaml']);
    assert.equal(unb64(s.data.cacert), PEM);
  });

  it('builds kube-system/cloud-config with cloudprovider.conf and the wrapper csp-helper ships (fixture)', () => {
    const fx = fixture('secrets/scs-workload-cluster-cloud-config-resource-set-secret-derived.yaml') as unknown as Secretish;
    const [wrapped] = unwrapResourceSet(fx.data) as unknown as Secretish[];
    const text = unb64(wrapped.data['cloud.conf']);
    const [wrapper, crs] = resourceSet({
      namespace: 'my-tenant',
      style: 'cloud-config',
      cloudName: 'openstack',
      workload: cloudConfigSecret({ text }),
    });
    assert.deepEqual(unwrapResourceSet(wrapper.data), unwrapResourceSet(fx.data));
    assert.deepEqual(wrapper.metadata, fx.metadata);
    assert.equal(wrapper.type, fx.type);
    assert.deepEqual(Object.keys(wrapper.data), ['cloud-config-secret']);
    const crsFx = fixture('addons/scs-csp-helper-clusterresourceset-cloud-config-derived.yaml');
    assert.deepEqual(JSON.parse(JSON.stringify(crs)), crsFx);
  });

  it('adds cacert to cloud-config when a CA is used', () => {
    const s = cloudConfigSecret({ text: '[Global]\nca-file="/etc/config/cacert"\n', cacert: PEM });
    assert.deepEqual(s.metadata, { name: 'cloud-config', namespace: 'kube-system' });
    assert.deepEqual(Object.keys(s.data), ['cacert', 'cloud.conf', 'cloudprovider.conf']);
    assert.equal(unb64(s.data.cacert), PEM);
  });

  describe('scs2 clouds-yaml', () => {
    it('rewrites the cacert path to the pod mount and ships the PEM and cloudName', () => {
      const s = cloudsYamlSecret({ 'clouds.yaml': CLOUDS, cloudName: 'openstack', cacert: PEM });
      assert.deepEqual(s.metadata, { name: 'clouds-yaml', namespace: 'kube-system' });
      assert.deepEqual(Object.keys(s.data), ['cacert', 'cloudName', 'clouds.yaml']);
      const doc = yaml.load(unb64(s.data['clouds.yaml'])) as { clouds: Record<string, Record<string, unknown>> };
      assert.equal(doc.clouds.openstack.cacert, '/etc/openstack/cacert');
      assert.deepEqual((doc.clouds.openstack.auth as Record<string, string>).application_credential_secret, 'T0p;Secret #1');
      assert.equal(unb64(s.data.cloudName), 'openstack');
    });
    it('drops a local cacert path when no PEM is shipped, and other clouds', () => {
      const two = `${CLOUDS}  other:\n    auth: {auth_url: https://x}\n`;
      const doc = yaml.load(cloudsYamlForPods(two, 'openstack', false)) as { clouds: Record<string, Record<string, unknown>> };
      assert.deepEqual(Object.keys(doc.clouds), ['openstack']);
      assert.equal('cacert' in doc.clouds.openstack, false);
    });
    it('refuses a cloud that is not there, naming it', () => {
      assert.throws(() => cloudsYamlForPods(CLOUDS, 'nope', false), /no cloud "nope"/);
    });
    it('wraps into the training-scripts resource set selecting managed-secret: clouds-yaml', () => {
      const [wrapper, crs] = resourceSet({
        namespace: 't1',
        style: 'clouds-yaml',
        cloudName: 'openstack',
        workload: cloudsYamlSecret({ 'clouds.yaml': CLOUDS, cloudName: 'openstack' }),
      });
      assert.equal(wrapper.metadata.name, 'openstack-workload-cluster-newsecret');
      assert.equal(wrapper.type, 'addons.cluster.x-k8s.io/resource-set');
      assert.deepEqual(Object.keys(wrapper.data), ['clouds-yaml-secret']);
      assert.deepEqual(crs.spec, {
        strategy: 'Reconcile',
        clusterSelector: { matchLabels: { 'managed-secret': 'clouds-yaml' } },
        resources: [{ name: 'openstack-workload-cluster-newsecret', kind: 'Secret' }],
      });
      assert.equal(crs.metadata.name, 'crs-openstack-newsecret');
      const [inner] = unwrapResourceSet(wrapper.data) as unknown as Secretish[];
      assert.deepEqual(inner.metadata, { name: 'clouds-yaml', namespace: 'kube-system' });
    });
  });

  describe('use-clouds cloud.conf with per-cluster [LoadBalancer] (cluster-stacks #241)', () => {
    const lb = [
      {
        name: 'LoadBalancer',
        entries: [
          { key: 'lb-provider', value: 'ovn' },
          { key: 'lb-method', value: 'SOURCE_IP_PORT' },
          { key: 'create-monitor', value: true },
        ],
      },
    ];
    it('renders use-clouds, clouds-file, cloud and the per-cluster section', () => {
      assert.equal(
        useCloudsCloudConf('openstack', lb),
        '[Global]\nuse-clouds=true\nclouds-file="/etc/openstack/clouds.yaml"\ncloud="openstack"\n\n[LoadBalancer]\nlb-provider="ovn"\nlb-method="SOURCE_IP_PORT"\ncreate-monitor=true\n',
      );
    });
    it('is shipped as cloud.conf next to clouds.yaml when per-cluster options are given', () => {
      const s = cloudsYamlSecret({ 'clouds.yaml': CLOUDS, cloudName: 'openstack' }, lb);
      assert.deepEqual(Object.keys(s.data), ['cloud.conf', 'cloudName', 'clouds.yaml']);
      assert.match(unb64(s.data['cloud.conf']), /^\[Global\]\nuse-clouds=true\n/);
    });
    it('refuses a [Global] section among per-cluster options', () => {
      assert.throws(
        () => useCloudsCloudConf('openstack', [{ name: 'Global', entries: [{ key: 'region', value: 'x' }] }]),
        /must not contain \[Global\]/,
      );
    });
  });
});
