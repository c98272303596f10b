import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { diagnoseStackText } from '../../../../src/core/stacks/diagnose';
import { buildTopologyCluster, classOffer, validateTopologyCluster, type TenantFacts } from '../../../../src/core/stacks/topology';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const read = (rel: string): string => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
const first = (rel: string): Record<string, unknown> => yaml.loadAll(read(rel))[0] as Record<string, unknown>;

const SCS2_CLASS = first('clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml');
const SCS_CLASS = first('clusterclass/openstack-scs-1-32-v1-clusterclass-derived.yaml');

/** The tenant of the scs2 README: class openstack-scs2-1-33-v1 (the 1-34 fixture class renamed), release ready with v1.33.4. */
function scs2Tenant(): TenantFacts {
  const offer = { ...classOffer(SCS2_CLASS), name: 'openstack-scs2-1-33-v1' };
  const release = first('clusterstack/scs2-clusterstackrelease-ready-derived.yaml') as {
    metadata: { name: string };
    status: { kubernetesVersion: string };
  };
  return { classes: new Map([[offer.name, offer]]), releases: new Map([[release.metadata.name, release.status.kubernetesVersion]]) };
}

describe('stacks: topology Cluster generation and rules', () => {
  it('reads what a ClusterClass offers: worker classes, variables, credential style per series', () => {
    const scs2 = classOffer(SCS2_CLASS);
    assert.deepEqual(scs2.workerClasses, ['default-worker']);
    assert.equal(scs2.variables.length, 27);
    assert.ok(scs2.variables.includes('identityRef'));
    assert.equal(scs2.credentials, 'clouds-yaml');
    assert.equal(classOffer(SCS_CLASS).credentials, 'cloud-config');
  });

  it('generates the scs2 README Cluster (v1beta1 class + classNamespace) and its v1beta2 form (classRef)', () => {
    const choices = {
      name: 'my-cluster',
      namespace: 'cluster',
      className: 'openstack-scs2-1-33-v1',
      classNamespace: 'cluster',
      kubernetesVersion: 'v1.33.4',
      controlPlaneReplicas: 1,
      workers: [{ class: 'default-worker', name: 'md-0', replicas: 1 }],
      credentials: 'clouds-yaml' as const,
      podCidr: '172.16.0.0/16',
    };
    const v1 = first('topology/scs2-readme-cluster-v1beta1.yaml') as { spec: { topology: Record<string, unknown> } };
    delete v1.spec.topology.variables; // the README keeps an empty `variables:` key
    assert.deepEqual(buildTopologyCluster(choices), v1);
    assert.deepEqual(
      buildTopologyCluster({ ...choices, apiVersion: 'v1beta2' }),
      first('topology/scs2-readme-cluster-v1beta2-derived.yaml'),
    );
  });

  it('generates the quickstart Cluster with variables and the cloud-config label', () => {
    const want = first('topology/scs-quickstart-cluster-v1beta1.yaml') as {
      spec: { topology: { workers: { machineDeployments: Record<string, unknown>[] } } };
    };
    delete want.spec.topology.workers.machineDeployments[0].failureDomain;
    const got = buildTopologyCluster({
      name: 'cs-cluster',
      namespace: 'my-tenant',
      className: 'openstack-scs-1-29-v1',
      kubernetesVersion: 'v1.29.6',
      controlPlaneReplicas: 1,
      workers: [{ class: 'default-worker', name: 'default-worker', replicas: 3 }],
      credentials: 'cloud-config',
      variables: [
        { name: 'controller_flavor', value: 'SCS-2V-4-20s' },
        { name: 'worker_flavor', value: 'SCS-2V-4' },
        { name: 'worker_root_disk', value: 30 },
        { name: 'external_id', value: 'ebfe5546-f09f-4f42-ab54-094e457d42ec' },
      ],
    });
    assert.deepEqual(got, want);
  });

  it('the fixture Clusters pass offline, and the scs2 ones pass against the scs2 tenant', () => {
    for (const f of fs.readdirSync(path.join(FIXTURES, 'topology'))) {
      const c = first(`topology/${f}`);
      assert.deepEqual(validateTopologyCluster(c), [], f);
      if (f.startsWith('scs2')) assert.deepEqual(validateTopologyCluster(c, scs2Tenant()), [], f);
    }
  });

  it('webhook: topology.version must equal the release status.kubernetesVersion', () => {
    const c = first('topology/scs2-readme-cluster-v1beta1.yaml') as { spec: { topology: Record<string, unknown> } };
    c.spec.topology.version = 'v1.33.2';
    const issues = validateTopologyCluster(c, scs2Tenant());
    assert.deepEqual(
      issues.map((i) => [i.code, i.path.join('.')]),
      [['CSK204', 'spec.topology.version']],
    );
    assert.equal(issues[0].message, 'clusterClass openstack-scs2-1-33-v1 expects Kubernetes version v1.33.4, but got v1.33.2');
  });

  it('offline: a version of another minor than the class name, a class that is no cluster stack, a missing class', () => {
    const base = first('topology/scs2-readme-cluster-v1beta2-derived.yaml') as { spec: { topology: Record<string, unknown> } };
    const wrongMinor = structuredClone(base);
    wrongMinor.spec.topology.version = 'v1.32.5';
    assert.deepEqual(
      validateTopologyCluster(wrongMinor).map((i) => i.code),
      ['CSK205'],
    );
    const notStack = structuredClone(base);
    notStack.spec.topology.classRef = { name: 'quick-start' };
    assert.deepEqual(
      validateTopologyCluster(notStack).map((i) => [i.code, i.path.join('.')]),
      [['CSK202', 'spec.topology.classRef.name']],
    );
    const none = structuredClone(base);
    delete none.spec.topology.classRef;
    assert.deepEqual(
      validateTopologyCluster(none).map((i) => i.code),
      ['CSK201'],
    );
  });

  it('live: unknown class (listing the available ones), unknown worker class and variable', () => {
    const c = first('topology/scs-quickstart-cluster-v1beta1.yaml');
    const issues = validateTopologyCluster(c, scs2Tenant());
    assert.deepEqual(
      issues.map((i) => i.code),
      ['CSK203'],
    );
    assert.match(issues[0].message, /available: openstack-scs2-1-33-v1/);
    const scs = { ...classOffer(SCS_CLASS), name: 'openstack-scs-1-29-v1' };
    const c2 = structuredClone(c) as {
      spec: { topology: { workers: { machineDeployments: { class: string }[] }; variables: { name: string }[] } };
    };
    c2.spec.topology.workers.machineDeployments[0].class = 'big-worker';
    c2.spec.topology.variables[0].name = 'controlPlaneFlavor';
    const facts: TenantFacts = { classes: new Map([[scs.name, scs]]), releases: new Map([['openstack-scs-1-29-v1', 'v1.29.6']]) };
    assert.deepEqual(
      validateTopologyCluster(c2, facts).map((i) => [i.code, i.path.join('.')]),
      [
        ['CSK210', 'spec.topology.workers.machineDeployments.0.class'],
        ['CSK211', 'spec.topology.variables.0.name'],
      ],
    );
  });

  it('credential label: missing, unknown, or not what the class reads', () => {
    const c = first('topology/scs2-readme-cluster-v1beta1.yaml') as { metadata: { labels?: Record<string, string> } };
    c.metadata.labels = { 'managed-secret': 'cloud-config' };
    assert.match(validateTopologyCluster(c, scs2Tenant())[0].message, /reads the clouds-yaml secret/);
    c.metadata.labels = { 'managed-secret': 'secret' };
    assert.equal(validateTopologyCluster(c)[0].code, 'CSK207');
    delete c.metadata.labels;
    const missing = validateTopologyCluster(c, scs2Tenant());
    assert.deepEqual(
      missing.map((i) => [i.code, i.severity]),
      [['CSK207', 'warning']],
    );
    assert.match(missing[0].message, /expects managed-secret: clouds-yaml/);
  });

  it('update: provider and stack name fixed, Kubernetes minor only +0 or +1', () => {
    const old = first('topology/scs2-readme-cluster-v1beta1.yaml') as { spec: { topology: Record<string, unknown> } };
    const up = structuredClone(old);
    up.spec.topology.class = 'openstack-scs2-1-34-v1';
    up.spec.topology.version = 'v1.34.1';
    assert.deepEqual(validateTopologyCluster(up, undefined, old), []);
    up.spec.topology.class = 'openstack-scs-1-35-v1';
    up.spec.topology.version = 'v1.35.0';
    assert.deepEqual(
      validateTopologyCluster(up, undefined, old).map((i) => i.message.split('.')[0]),
      ['cluster stack name must not change', 'kubernetes version must be the same or higher by one: from 1-33 to 1-35'],
    );
  });

  it('locates the version mismatch in the YAML text at the version value', () => {
    const text = read('topology/scs2-readme-cluster-v1beta1.yaml').replace('version: v1.33.4', 'version: v1.33.9');
    const findings = diagnoseStackText('cluster.yaml', text, { factsFor: (ns) => (ns === 'cluster' ? scs2Tenant() : undefined) });
    assert.deepEqual(
      findings.map((f) => f.code),
      ['CSK204'],
    );
    const line = text.split('\n')[findings[0].range.start.line];
    assert.equal(line.slice(findings[0].range.start.character, findings[0].range.end.character), 'v1.33.9');
  });
});
