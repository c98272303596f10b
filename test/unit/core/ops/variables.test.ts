import * as assert from 'node:assert/strict';
import { labelOf, parseFieldInput, validateVariableValues, variablesForm, type FormField } from '../../../../src/core/ops/formModel';
import { toJsonSchema, variablesArraySchema } from '../../../../src/core/ops/jsonSchema';
import { checkFormat, validateJson } from '../../../../src/core/ops/validate';
import { classVariables } from '../../../../src/core/ops/variables';
import { fixture } from './tenant';

const SCS2 = fixture('clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml');
const SCS = fixture('clusterclass/openstack-scs-1-32-v1-clusterclass-derived.yaml');
const DOCS = fixture('clusterclass/capi-docs-clusterclass-status-variables.yaml');

describe('ops: ClusterClass variables', () => {
  it('reads spec.variables (v1beta1) and status.variables with their origin and conflicts (v1beta2)', () => {
    const scs2 = classVariables(SCS2);
    assert.equal(scs2.source, 'spec');
    assert.equal(scs2.definitions.length, 27);
    assert.equal(classVariables(SCS).definitions.length, 19);
    const docs = classVariables(DOCS);
    assert.equal(docs.source, 'status');
    assert.deepEqual(
      docs.definitions.map((d) => [d.name, d.required, d.from, d.conflict]),
      [
        ['no-proxy', true, 'inline', false],
        ['http-proxy', false, 'inline', true],
      ],
    );
    assert.deepEqual(docs.problems, ['variable "http-proxy" has conflicting definitions']);
  });

  it('translates Cluster API schema keywords to draft-07', () => {
    assert.deepEqual(
      toJsonSchema({ type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 10, example: 5, default: 1, description: 'd' }),
      { description: 'd', type: 'integer', default: 1, examples: [5], exclusiveMinimum: 0, maximum: 10 },
    );
    assert.deepEqual(toJsonSchema({ type: 'object', properties: { a: { type: 'string' } } }), {
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    });
    assert.deepEqual(toJsonSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {} }), {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {},
    });
    assert.deepEqual(toJsonSchema({ type: 'object', additionalProperties: { type: 'integer' } }), {
      type: 'object',
      additionalProperties: { type: 'integer' },
    });
    assert.deepEqual(toJsonSchema({ 'x-kubernetes-int-or-string': true }).allOf, [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }]);
  });

  it('validates the scs2 variables like Cluster API: per-field messages at the field', () => {
    const vars = classVariables(SCS2);
    assert.deepEqual(
      validateVariableValues(vars, {
        workerFlavor: 'SCS-4V-8',
        controlPlaneRootDisk: 25,
        dnsNameservers: ['9.9.9.9'],
        identityRef: { name: 'openstack' },
      }),
      [],
    );
    assert.deepEqual(
      validateVariableValues(vars, {
        networkMTU: '1500',
        controlPlaneRootDisk: -1,
        nodeCIDR: '10.8.0.0/33',
        securityGroupIDs: ['not-a-uuid'],
        networkExternalID: 'EBFE5546F09F4F42AB54094E457D42EC',
        identityRef: { name: 'openstack', region: 'x' },
        workerAdditionalBlockDevices: [{ sizeGiB: 20 }],
        nope: 1,
      }),
      [
        { field: 'networkMTU', message: 'must be a whole number (got string)' },
        { field: 'nodeCIDR', message: 'must be a CIDR, e.g. 10.8.0.0/20' },
        { field: 'controlPlaneRootDisk', message: 'must be at least 0' },
        { field: 'identityRef.region', message: 'region is not a field here' },
        { field: 'nope', message: 'variable "nope" is not defined in openstack-scs2-1-34-v1' },
      ],
    );
  });

  it('the scs2 chart puts required: [name] beside items of workerAdditionalBlockDevices: it checks nothing there (as for Cluster API)', () => {
    const vars = classVariables(SCS2);
    const d = vars.definitions.find((x) => x.name === 'workerAdditionalBlockDevices');
    assert.deepEqual(d?.schema.required, ['name']);
    assert.equal(d?.schema.type, 'array');
    assert.deepEqual(validateVariableValues(vars, { workerAdditionalBlockDevices: [{ sizeGiB: 20 }] }), []);
    assert.deepEqual(validateVariableValues(vars, { workerAdditionalBlockDevices: [{ size: 20 }] }), [
      { field: 'workerAdditionalBlockDevices[0].size', message: 'size is not a field here' },
    ]);
  });

  it('required variables: missing ones are reported unless the schema has a default; conflicting definitions too', () => {
    const docs = classVariables(DOCS);
    // no-proxy is required but has a default: Cluster API fills it in.
    assert.deepEqual(validateVariableValues(docs, {}), []);
    assert.deepEqual(validateVariableValues(docs, { 'http-proxy': 'p' }), [
      { field: 'http-proxy', message: 'variable "http-proxy" has conflicting definitions in quick-start-runtimesdk' },
    ]);
    const strict = classVariables({
      metadata: { name: 'c' },
      spec: { variables: [{ name: 'region', required: true, schema: { openAPIV3Schema: { type: 'string', minLength: 1 } } }] },
    });
    assert.deepEqual(validateVariableValues(strict, {}), [{ field: 'region', message: 'required variable "region" must be set' }]);
    const arr = variablesArraySchema(strict);
    assert.deepEqual(
      validateJson(arr, []).map((m) => m.message),
      ['required variable "region" must be set'],
    );
    assert.deepEqual(
      validateJson(arr, [{ name: 'region', value: '' }]).map((m) => [m.path, m.message]),
      [[[0, 'value'], 'must be at least 1 characters long']],
    );
    assert.deepEqual(
      validateJson(arr, [
        { name: 'other', value: 1 },
        { name: 'region', value: 'x' },
      ]).map((m) => [m.path, m.keyword]),
      [[[0, 'name'], 'enum']],
    );
  });

  it('formats as the API server checks them (kube-openapi strfmt)', () => {
    assert.equal(checkFormat('uuid4', '9ae2f488-30a3-4629-bd51-07acb8eb4278'), true);
    assert.equal(checkFormat('uuid4', '9AE2F48830A34629BD5107ACB8EB4278'), true);
    assert.equal(checkFormat('uuid4', '9ae2f488-30a3-3629-bd51-07acb8eb4278'), false);
    assert.equal(checkFormat('cidr', '10.8.0.0/20'), true);
    assert.equal(checkFormat('cidr', '010.008.0.0/20'), true); // ParseCIDRSloppy tolerates leading zeros
    assert.equal(checkFormat('cidr', 'fd00::/8'), true);
    assert.equal(checkFormat('cidr', '10.8.0.0'), false);
    assert.equal(checkFormat('cidr', '10.8.0.0/255.255.0.0'), false);
    assert.equal(checkFormat('ipv4', '::ffff:10.0.0.1'), true);
    assert.equal(checkFormat('ipv6', '10.0.0.1'), false);
    assert.equal(checkFormat('hostname', 'x'), undefined);
  });

  it('form model: one field per variable with label, kind, default, example, nested fields and lists', () => {
    const form = variablesForm(classVariables(SCS2));
    const by = new Map(form.fields.map((f) => [f.id, f]));
    const pick = (f: FormField | undefined) => f && { label: f.label, kind: f.kind, required: f.required, default: f.default };
    assert.deepEqual(pick(by.get('controlPlaneFlavor')), {
      label: 'Control plane flavor',
      kind: 'string',
      required: false,
      default: 'SCS-2V-4',
    });
    assert.deepEqual(pick(by.get('networkMTU')), { label: 'Network MTU', kind: 'integer', required: false, default: undefined });
    assert.deepEqual(pick(by.get('imageIsOrc')), { label: 'Image is orc', kind: 'boolean', required: false, default: false });
    assert.equal(by.get('dnsNameservers')?.kind, 'list');
    assert.equal(by.get('dnsNameservers')?.item?.kind, 'string');
    assert.equal(by.get('workerAdditionalBlockDevices')?.kind, 'json');
    assert.deepEqual(
      by.get('identityRef')?.fields?.map((f) => [f.id, f.label, f.default]),
      [
        ['identityRef.name', 'Name', 'openstack'],
        ['identityRef.cloudName', 'Cloud name', 'openstack'],
      ],
    );
    assert.deepEqual(by.get('controlPlaneRootDisk')?.constraints, ['at least 0']);
    assert.deepEqual(by.get('nodeCIDR')?.constraints, ['format cidr']);
    assert.match(by.get('imageName')?.description ?? '', /^The base name of the OpenStack image/);
    assert.equal(by.get('networkExternalID')?.example, 'ebfe5546-f09f-4f42-ab54-094e457d42ec');
    assert.equal(labelOf('worker_root_disk'), 'Worker root disk');
    assert.equal(labelOf('no-proxy'), 'No proxy');
    assert.equal(labelOf('apiServerLoadBalancerOctaviaAmphoraAllowedCIDRs'), 'Api server load balancer octavia amphora allowed CIDRs');
    assert.equal(labelOf('HTTPServerName'), 'HTTP server name');
  });

  it('form input parsing: typed values or a one-line error', () => {
    const f = (kind: FormField['kind'], extra: Partial<FormField> = {}): FormField => ({
      id: 'x',
      variable: 'x',
      path: [],
      label: 'X',
      kind,
      required: false,
      constraints: [],
      serverChecks: [],
      ...extra,
    });
    assert.deepEqual(parseFieldInput(f('integer'), ' 42 '), { value: 42 });
    assert.deepEqual(parseFieldInput(f('integer'), '4.2'), { error: 'a whole number' });
    assert.deepEqual(parseFieldInput(f('boolean'), 'true'), { value: true });
    assert.deepEqual(parseFieldInput(f('string'), ''), {});
    assert.deepEqual(parseFieldInput(f('enum', { enum: ['a', 2] }), '2'), { value: 2 });
    assert.deepEqual(parseFieldInput(f('json'), '[{"name": "d"}]'), { value: [{ name: 'd' }] });
    assert.match(parseFieldInput(f('json'), '[{').error ?? '', /^JSON: /);
  });
});
