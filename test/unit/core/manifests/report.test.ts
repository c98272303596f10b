import * as assert from 'node:assert/strict';
import {
  b64,
  cloudConfigSecret,
  identitySecret,
  loadBalancerSection,
  payloadOfSecret,
  unb64,
  withSections,
  workloadSecretFromPayload,
} from '../../../../src/core/manifests/credentials';
import { globMatches, isProtectedContext, planLines, resultLine, summaryText, writtenLines } from '../../../../src/core/manifests/report';

const SECRET = 'Rep0rt-S3cret';
const CLOUDS = `clouds:\n  prod:\n    auth:\n      auth_url: https://k.example.com:5000/v3\n      application_credential_id: id1\n      application_credential_secret: ${SECRET}\n    region_name: RegionOne\n    auth_type: v3applicationcredential\n`;
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

describe('credential reports, protected contexts, tenant payloads', () => {
  it('globs: * and ? only, whole string, regex characters literal', () => {
    assert.equal(globMatches('prod-*', 'prod-eu1'), true);
    assert.equal(globMatches('prod-*', 'preprod-eu1'), false);
    assert.equal(globMatches('kind-?', 'kind-a'), true);
    assert.equal(globMatches('kind-?', 'kind-ab'), false);
    assert.equal(globMatches('a.b', 'axb'), false);
    assert.equal(globMatches('admin@(prod)', 'admin@(prod)'), true);
    assert.equal(isProtectedContext('prod-eu1', ['dev', 'prod-*']), true);
    assert.equal(isProtectedContext('dev-1', ['prod-*', '', 42]), false);
    assert.equal(isProtectedContext('x', undefined), false);
  });

  it('result lines name clusters, outcomes, conflicting managers and fields, never values', () => {
    const objects = [
      {
        ref: 'Secret kube-system/cloud-config',
        action: 'update' as const,
        changes: [{ path: 'data.cloud.conf', change: 'changed' as const }],
      },
    ];
    assert.equal(resultLine('wc-1', { outcome: 'updated', objects }), 'wc-1: updated (Secret kube-system/cloud-config updated)');
    assert.equal(
      resultLine('wc-2', { outcome: 'failed', objects: [], reason: 'Cannot reach https://x (ECONNREFUSED)' }),
      'wc-2: failed — Cannot reach https://x (ECONNREFUSED)',
    );
    assert.match(
      resultLine('wc-3', { outcome: 'conflict', objects: [], conflicts: [{ manager: 'helm', field: '.data.cloud.conf' }] }),
      /^wc-3: conflict with "helm" on \.data\.cloud\.conf — nothing written/,
    );
    assert.deepEqual(planLines(objects), ['Secret kube-system/cloud-config: update', '    ~ data.cloud.conf (value changed)']);
  });

  it('the confirmation summary lists context (protected), namespaces, clusters and keys', () => {
    const text = summaryText({
      action: 'Write x',
      context: 'prod-1',
      namespaces: ['t1'],
      clusters: Array.from({ length: 14 }, (_, i) => `c${i}`),
      objects: [{ ref: 'Secret kube-system/cloud-config', keys: ['cloud.conf', 'cacert'] }],
      protectedContext: true,
    });
    assert.equal(
      text,
      'Write x\nContext: prod-1 (PROTECTED)\nNamespace: t1\nWorkload clusters (14): c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, …\nSecret kube-system/cloud-config — keys: cloud.conf, cacert',
    );
  });

  it('reads the payload of a tenant secret; without a cloudName key the cloud is "openstack", as CSPO reads it', () => {
    // CSPO: cluster-stack-provider-openstack@f23bdb5 internal/controller/openstacknodeimagerelease_controller.go:344-351
    const s = identitySecret({ namespace: 't', name: 'openstack', payload: { 'clouds.yaml': CLOUDS, cloudName: 'prod', cacert: PEM } });
    assert.deepEqual(payloadOfSecret(s), { ok: true, payload: { 'clouds.yaml': CLOUDS, cloudName: 'prod', cacert: PEM } });
    assert.deepEqual(payloadOfSecret({ data: { 'clouds.yaml': b64(CLOUDS) } }), {
      ok: false,
      reason: 'its clouds.yaml has no cloud "openstack" (the secret has no key "cloudName", so CSPO uses "openstack"; it has prod)',
    });
    assert.deepEqual(payloadOfSecret({ data: { 'clouds.yaml': b64(CLOUDS) } }, 'prod'), {
      ok: true,
      payload: { 'clouds.yaml': CLOUDS, cloudName: 'prod' },
    });
    const openstack = 'clouds:\n  openstack: {auth: {auth_url: "https://k"}}\n';
    assert.equal(payloadOfSecret({ data: { 'clouds.yaml': b64(openstack) } }).ok, true);
    // the key is YAML (sigs.k8s.io/yaml Unmarshal into a string): a quoted value and a trailing newline are fine
    assert.equal(payloadOfSecret({ data: { 'clouds.yaml': b64(openstack), cloudName: b64('"openstack"\n') } }).ok, true);
    assert.deepEqual(payloadOfSecret({ data: { 'clouds.yaml': b64(openstack), cloudName: b64('[x]') } }), {
      ok: false,
      reason: 'the secret\'s key "cloudName" is not a YAML string',
    });
    assert.equal(payloadOfSecret({ data: {} }).ok, false);
  });

  it('converts a tenant payload to cloud-config with the secret PEM as ca-file, and to clouds-yaml', () => {
    const r = workloadSecretFromPayload({ 'clouds.yaml': CLOUDS, cloudName: 'prod', cacert: PEM }, 'cloud-config');
    assert.ok(r.ok);
    const conf = unb64(r.secret.data['cloud.conf']);
    assert.match(conf, /^ca-file="\/etc\/config\/cacert"$/m);
    assert.match(conf, new RegExp(`^application-credential-secret="${SECRET}"$`, 'm'));
    assert.equal(unb64(r.secret.data.cacert), PEM);
    assert.deepEqual(r.secret, cloudConfigSecret({ text: conf, cacert: PEM }));
    const y = workloadSecretFromPayload({ 'clouds.yaml': CLOUDS, cloudName: 'prod' }, 'clouds-yaml');
    assert.ok(y.ok);
    assert.deepEqual(Object.keys(y.secret.data), ['cloudName', 'clouds.yaml']);
  });

  it('per-cluster [LoadBalancer] options: a section, merged after configured extra sections, in both styles', () => {
    assert.deepEqual(loadBalancerSection({ 'lb-provider': 'ovn', 'create-monitor': true }), {
      name: 'LoadBalancer',
      entries: [
        { key: 'lb-provider', value: 'ovn' },
        { key: 'create-monitor', value: true },
      ],
    });
    assert.equal(loadBalancerSection({}), undefined);
    assert.throws(() => loadBalancerSection({ 'monitor-max-retries': 3 }), /monitor-max-retries: only text and true\/false/);
    const lb = [loadBalancerSection({ 'lb-provider': 'ovn' })!];
    assert.deepEqual(
      withSections({ lb: 'scs', extraSections: [{ name: 'Networking', entries: [] }] }, lb).extraSections?.map((x) => x.name),
      ['Networking', 'LoadBalancer'],
    );
    const conf = workloadSecretFromPayload({ 'clouds.yaml': CLOUDS, cloudName: 'prod' }, 'cloud-config', {}, lb);
    assert.ok(conf.ok);
    assert.match(unb64(conf.secret.data['cloud.conf']), /^\[LoadBalancer\][^[]*^lb-provider="ovn"$/m);
    const y = workloadSecretFromPayload({ 'clouds.yaml': CLOUDS, cloudName: 'prod' }, 'clouds-yaml', {}, lb);
    assert.ok(y.ok);
    assert.equal(
      unb64(y.secret.data['cloud.conf']),
      '[Global]\nuse-clouds=true\nclouds-file="/etc/openstack/clouds.yaml"\ncloud="prod"\n\n[LoadBalancer]\nlb-provider="ovn"\n',
    );
  });

  it("reports a payload that cannot be converted as the converter's located failure", () => {
    const r = workloadSecretFromPayload({ 'clouds.yaml': 'clouds:\n  prod:\n    region_name: x\n', cloudName: 'prod' }, 'cloud-config');
    assert.equal(r.ok, false);
  });
});

describe('the write path report: what was written and what was not', () => {
  const objects = [
    { ref: 'Namespace tenant', action: 'create' as const, changes: [] },
    { ref: 'Secret tenant/openstack', action: 'update' as const, changes: [] },
    { ref: 'Secret tenant/old', action: 'delete' as const, changes: [] },
    { ref: 'Deployment kube-system/occm', action: 'restart' as const, changes: [] },
    { ref: 'Secret tenant/gone', action: 'absent' as const, changes: [] },
  ];

  it('after a success: one line per object in the past tense', () => {
    assert.deepEqual(writtenLines({ outcome: 'created', objects }), [
      'created: Namespace tenant',
      'updated: Secret tenant/openstack',
      'deleted: Secret tenant/old',
      'restarted: Deployment kube-system/occm',
      'absent: Secret tenant/gone',
    ]);
    assert.equal(
      resultLine('ctx/tenant', { outcome: 'created', objects }),
      'ctx/tenant: created (Namespace tenant created, Secret tenant/openstack updated, Secret tenant/old deleted, Deployment kube-system/occm restarted)',
    );
  });

  it('after a failure: what was written before it, what was not, and why', () => {
    assert.deepEqual(
      writtenLines({
        outcome: 'failed',
        objects: objects.slice(0, 3),
        written: ['Namespace tenant'],
        reason: 'applying Secret tenant/openstack: Forbidden (403): no',
      }),
      [
        'created: Namespace tenant',
        'not written: Secret tenant/openstack',
        'not written: Secret tenant/old',
        'failed: applying Secret tenant/openstack: Forbidden (403): no',
      ],
    );
  });
});
