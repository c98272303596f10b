// Decoding of the Kubernetes protobuf request encoding (`application/vnd.kubernetes.protobuf`: the
// "k8s\0" magic + runtime.Unknown envelope) for the built-in kinds kubectl's typed clients send
// (create secret/configmap/namespace/serviceaccount/rolebinding, auth can-i, create token, delete options).
// Field numbers follow k8s.io/api and k8s.io/apimachinery generated.proto. Responses are always JSON,
// which those clients accept.
import { errors } from './status';
import { KubeObject } from './store';

type Scalar = 'string' | 'bytes' | 'bool' | 'int';
interface Field {
  name: string;
  type: Scalar | 'time' | 'map' | Schema;
  repeated?: boolean;
  mapValue?: 'string' | 'bytes';
}
interface Schema {
  [num: number]: Field;
}

const time = 'time' as const;
const map = (name: string, mapValue: 'string' | 'bytes'): Field => ({ name, type: 'map', mapValue });
const strs = (name: string): Field => ({ name, type: 'string', repeated: true });

const OWNER_REF: Schema = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};
const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int' },
  8: { name: 'creationTimestamp', type: time },
  9: { name: 'deletionTimestamp', type: time },
  10: { name: 'deletionGracePeriodSeconds', type: 'int' },
  11: map('labels', 'string'),
  12: map('annotations', 'string'),
  13: { name: 'ownerReferences', type: OWNER_REF, repeated: true },
  14: strs('finalizers'),
};
const OBJECT_REF: Schema = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'namespace', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'fieldPath', type: 'string' },
};
const meta: Field = { name: 'metadata', type: OBJECT_META };
const POLICY_RULE: Schema = {
  1: strs('verbs'),
  2: strs('apiGroups'),
  3: strs('resources'),
  4: strs('resourceNames'),
  5: strs('nonResourceURLs'),
};
const BINDING: Schema = {
  1: meta,
  2: {
    name: 'subjects',
    type: {
      1: { name: 'kind', type: 'string' },
      2: { name: 'apiGroup', type: 'string' },
      3: { name: 'name', type: 'string' },
      4: { name: 'namespace', type: 'string' },
    },
    repeated: true,
  },
  3: {
    name: 'roleRef',
    type: { 1: { name: 'apiGroup', type: 'string' }, 2: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' } },
  },
};

const SCHEMAS: Record<string, Schema> = {
  Secret: {
    1: meta,
    2: map('data', 'bytes'),
    3: { name: 'type', type: 'string' },
    4: map('stringData', 'string'),
    5: { name: 'immutable', type: 'bool' },
  },
  ConfigMap: { 1: meta, 2: map('data', 'string'), 3: map('binaryData', 'bytes'), 4: { name: 'immutable', type: 'bool' } },
  Namespace: { 1: meta, 2: { name: 'spec', type: { 1: strs('finalizers') } } },
  ServiceAccount: {
    1: meta,
    2: { name: 'secrets', type: OBJECT_REF, repeated: true },
    3: { name: 'imagePullSecrets', type: { 1: { name: 'name', type: 'string' } }, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  Role: { 1: meta, 2: { name: 'rules', type: POLICY_RULE, repeated: true } },
  ClusterRole: { 1: meta, 2: { name: 'rules', type: POLICY_RULE, repeated: true } },
  RoleBinding: BINDING,
  ClusterRoleBinding: BINDING,
  SelfSubjectAccessReview: {
    1: meta,
    2: {
      name: 'spec',
      type: {
        1: {
          name: 'resourceAttributes',
          type: {
            1: { name: 'namespace', type: 'string' },
            2: { name: 'verb', type: 'string' },
            3: { name: 'group', type: 'string' },
            4: { name: 'version', type: 'string' },
            5: { name: 'resource', type: 'string' },
            6: { name: 'subresource', type: 'string' },
            7: { name: 'name', type: 'string' },
          },
        },
        2: { name: 'nonResourceAttributes', type: { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } } },
      },
    },
  },
  SelfSubjectRulesReview: { 1: meta, 2: { name: 'spec', type: { 1: { name: 'namespace', type: 'string' } } } },
  TokenRequest: { 1: meta, 2: { name: 'spec', type: { 1: strs('audiences'), 4: { name: 'expirationSeconds', type: 'int' } } } },
  DeleteOptions: {
    1: { name: 'gracePeriodSeconds', type: 'int' },
    2: { name: 'preconditions', type: { 1: { name: 'uid', type: 'string' }, 2: { name: 'resourceVersion', type: 'string' } } },
    3: { name: 'orphanDependents', type: 'bool' },
    4: { name: 'propagationPolicy', type: 'string' },
    5: strs('dryRun'),
  },
};

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly end = buf.length,
  ) {}
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decodeMessage(buf: Buffer, schema: Schema): KubeObject {
  const r = new Reader(buf);
  const out: KubeObject = {};
  while (r.pos < r.end) {
    const tag = Number(r.varint());
    const num = tag >>> 3;
    const wire = tag & 7;
    const f = schema[num];
    if (!f) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    if (f.type === 'int') value = Number(BigInt.asIntN(64, r.varint()));
    else if (f.type === 'bool') value = r.varint() !== 0n;
    else if (f.type === 'string') value = r.bytes().toString('utf8');
    else if (f.type === 'bytes') value = r.bytes().toString('base64');
    else if (f.type === 'time') {
      const t = decodeMessage(r.bytes(), { 1: { name: 's', type: 'int' } });
      value = new Date((t.s ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    } else if (f.type === 'map') {
      const e = decodeMessage(r.bytes(), { 1: { name: 'k', type: 'string' }, 2: { name: 'v', type: f.mapValue ?? 'string' } });
      out[f.name] = { ...(out[f.name] ?? {}), [e.k ?? '']: e.v ?? '' };
      continue;
    } else value = decodeMessage(r.bytes(), f.type);
    if (f.repeated) out[f.name] = [...(out[f.name] ?? []), value];
    else if (value !== '' && value !== false && value !== 0) out[f.name] = value; // Go's omitempty
  }
  return out;
}

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Decodes a protobuf request body into the JSON shape of the object. */
export function decodeProtobuf(body: Buffer): KubeObject {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\u0000') {
    throw errors.badRequest('the body of the request was in an unknown format - missing protobuf magic prefix');
  }
  const unknown = decodeMessage(body.subarray(4), {
    1: { name: 'typeMeta', type: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } } },
    2: { name: 'raw', type: 'bytes' },
  });
  const kind: string = unknown.typeMeta?.kind ?? '';
  const schema = SCHEMAS[kind];
  if (!schema) throw errors.unsupportedMediaType(PROTOBUF, ['application/json', 'application/yaml']);
  const obj = decodeMessage(Buffer.from(unknown.raw ?? '', 'base64'), schema);
  if (kind !== 'DeleteOptions') {
    obj.apiVersion = unknown.typeMeta?.apiVersion;
    obj.kind = kind;
  }
  return obj;
}
