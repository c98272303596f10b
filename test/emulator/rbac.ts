// Authentication (bearer tokens: the admin token, configured users, ServiceAccount token secrets) and
// RBAC authorization over the Roles/ClusterRoles/RoleBindings/ClusterRoleBindings in the store.
import { createHmac, randomBytes } from 'node:crypto';
import { BUILTIN_TYPES, CRD_TYPES } from './resources';
import { KubeObject, Store } from './store';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string; // non-resource requests
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const DOMAIN_GROUPS = [...new Set(CRD_TYPES.map((t) => t.group))];

/**
 * The default user-facing ClusterRoles, trimmed to the resources the emulator serves. The domain CRD
 * groups are included in view/edit/admin as if the CRDs aggregated to them (CAPI and CSO do not ship
 * such aggregation; a real CSP grants them with its own roles).
 */
export function defaultClusterRoles(): KubeObject[] {
  const view = [
    { apiGroups: [''], resources: ['configmaps', 'serviceaccounts', 'namespaces'], verbs: READ },
    { apiGroups: DOMAIN_GROUPS, resources: ['*'], verbs: READ },
  ];
  const edit = [
    { apiGroups: [''], resources: ['secrets', 'configmaps', 'serviceaccounts'], verbs: [...READ, ...WRITE] },
    { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: READ },
    { apiGroups: DOMAIN_GROUPS, resources: ['*'], verbs: [...READ, ...WRITE] },
  ];
  const admin = [...edit, { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] }];
  const role = (name: string, rules: unknown[]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    rules,
  });
  return [
    role('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    role('admin', admin),
    role('edit', edit),
    role('view', view),
  ];
}

const RBAC = BUILTIN_TYPES.find((t) => t.kind === 'RoleBinding');
const CRB = BUILTIN_TYPES.find((t) => t.kind === 'ClusterRoleBinding');
const ROLE = BUILTIN_TYPES.find((t) => t.kind === 'Role');
const CROLE = BUILTIN_TYPES.find((t) => t.kind === 'ClusterRole');

function subjectMatches(s: KubeObject, user: UserInfo): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount':
      return user.name === `system:serviceaccount:${s.namespace}:${s.name}`;
    default:
      return false;
  }
}

function ruleAllows(rule: KubeObject, a: Attributes): boolean {
  const verbs: string[] = rule.verbs ?? [];
  if (!verbs.includes('*') && !verbs.includes(a.verb)) return false;
  if (a.path !== undefined) {
    return (rule.nonResourceURLs ?? []).some(
      (u: string) => u === '*' || u === a.path || (u.endsWith('*') && a.path?.startsWith(u.slice(0, -1))),
    );
  }
  const groups: string[] = rule.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(a.group)) return false;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources: string[] = rule.resources ?? [];
  if (!resources.includes('*') && !resources.includes(res) && !(a.subresource && resources.includes(`*/${a.subresource}`))) return false;
  const names: string[] = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

const BASIC_RULES = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
];

/** The rules that apply to a user in a namespace (what SelfSubjectRulesReview reports). */
export function rulesFor(store: Store, user: UserInfo, namespace: string): KubeObject[] {
  if (user.groups.includes('system:masters'))
    return [...BASIC_RULES, { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }];
  const rules: KubeObject[] = [...BASIC_RULES];
  const bindings = [...(CRB ? store.iterate(CRB) : []), ...(RBAC ? store.iterate(RBAC, namespace) : [])].map(([, b]) => b);
  for (const b of bindings) {
    if (!(b.subjects ?? []).some((x: KubeObject) => subjectMatches(x, user))) continue;
    const ref = b.roleRef ?? {};
    const role =
      ref.kind === 'Role'
        ? ROLE
          ? store.get(ROLE, b.metadata.namespace, ref.name)
          : undefined
        : CROLE && store.get(CROLE, undefined, ref.name);
    rules.push(...(role?.rules ?? []));
  }
  return rules;
}

export function authorize(store: Store, user: UserInfo, a: Attributes): Decision {
  if (user.groups.includes('system:masters')) return { allowed: true, reason: '' };
  if (a.group === 'authorization.k8s.io' && a.resource.startsWith('self') && a.verb === 'create') {
    return {
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"',
    };
  }
  const rolesOf = (ref: KubeObject, ns: string | undefined): KubeObject[] => {
    const role =
      ref.kind === 'Role' ? (ROLE && ns ? store.get(ROLE, ns, ref.name) : undefined) : CROLE && store.get(CROLE, undefined, ref.name);
    return role?.rules ?? [];
  };
  const describe = (b: KubeObject, s: KubeObject) => {
    const where =
      b.kind === 'RoleBinding' ? `RoleBinding "${b.metadata.name}/${b.metadata.namespace}"` : `ClusterRoleBinding "${b.metadata.name}"`;
    const who = s.kind === 'ServiceAccount' ? `ServiceAccount "${s.name}/${s.namespace}"` : `${s.kind} "${s.name}"`;
    return `RBAC: allowed by ${where} of ${b.roleRef.kind} "${b.roleRef.name}" to ${who}`;
  };
  const check = (b: KubeObject): Decision | undefined => {
    const s = (b.subjects ?? []).find((x: KubeObject) => subjectMatches(x, user));
    if (!s) return undefined;
    if (rolesOf(b.roleRef ?? {}, b.metadata.namespace).some((r) => ruleAllows(r, a))) return { allowed: true, reason: describe(b, s) };
    return undefined;
  };
  if (CRB)
    for (const [, b] of store.iterate(CRB)) {
      const d = check(b);
      if (d) return d;
    }
  if (a.namespace !== undefined && RBAC)
    for (const [, b] of store.iterate(RBAC, a.namespace)) {
      const d = check({ ...b, kind: 'RoleBinding' });
      if (d) return d;
    }
  return { allowed: false, reason: '' };
}

/** ServiceAccount tokens: signed, JWT-shaped, naming the token Secret they were minted for. */
export class TokenMinter {
  private readonly key = randomBytes(32);

  mint(namespace: string, serviceAccount: string, secretName: string): string {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const header = b64({ alg: 'HS256', kid: 'emulator' });
    const payload = b64({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': namespace,
      'kubernetes.io/serviceaccount/secret.name': secretName,
      'kubernetes.io/serviceaccount/service-account.name': serviceAccount,
      sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
      jti: randomBytes(8).toString('hex'),
    });
    const sig = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${sig}`;
  }

  /** The namespace/ServiceAccount/Secret a token was minted for, when its signature is ours. */
  verify(token: string): { namespace: string; serviceAccount: string; secretName: string } | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const sig = createHmac('sha256', this.key).update(`${parts[0]}.${parts[1]}`).digest('base64url');
    if (sig !== parts[2]) return undefined;
    try {
      const p = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      return {
        namespace: p['kubernetes.io/serviceaccount/namespace'],
        serviceAccount: p['kubernetes.io/serviceaccount/service-account.name'],
        secretName: p['kubernetes.io/serviceaccount/secret.name'],
      };
    } catch {
      return undefined;
    }
  }
}
