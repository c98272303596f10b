/**
 * Access for a tenant's customer (domain.md §(c) "Customer ServiceAccount kubeconfig", §(d) step 6): a
 * ServiceAccount in the tenant namespace, a RoleBinding to the role the CSP chose, a long-lived token
 * Secret, and the kubeconfig built from that token — scoped to the namespace by RBAC, with the namespace
 * preset in its context. The token only ever passes through `tenantKubeconfig`'s return value.
 */
import * as yaml from 'js-yaml';

export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
export const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
/** The built-in aggregated ClusterRoles a CSP usually binds in a namespace. */
export const TENANT_ROLES = ['admin', 'edit', 'view'] as const;

export interface TenantAccessChoices {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** A ClusterRole (bound in the namespace only) or a Role of the namespace. */
  readonly role: { readonly kind: 'ClusterRole' | 'Role'; readonly name: string };
}

export function tokenSecretName(serviceAccount: string): string {
  return `${serviceAccount}-token`;
}

export function tenantAccessManifests(c: TenantAccessChoices): Record<string, unknown>[] {
  const meta = { name: c.serviceAccount, namespace: c.namespace };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    {
      apiVersion: RBAC_API_VERSION,
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: c.role.kind, name: c.role.name },
      subjects: [{ kind: 'ServiceAccount', name: c.serviceAccount, namespace: c.namespace }],
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: tokenSecretName(c.serviceAccount),
        namespace: c.namespace,
        annotations: { [SA_NAME_ANNOTATION]: c.serviceAccount },
      },
      type: SA_TOKEN_TYPE,
    },
  ];
}

export interface KubeconfigInput {
  /** Name for the cluster entry, e.g. the management cluster's context cluster name. */
  readonly clusterName: string;
  readonly server: string;
  /** Base64 PEM of the API server CA (the token Secret's `ca.crt`), if any. */
  readonly certificateAuthorityData?: string;
  /** Skip TLS verification: only when the source context does so too. */
  readonly insecureSkipTlsVerify?: boolean;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly token: string;
}

/** The customer kubeconfig (YAML text). Contains the token: write it only where the user chose. */
export function tenantKubeconfig(k: KubeconfigInput): string {
  const user = `${k.serviceAccount}@${k.namespace}`;
  const context = `${k.namespace}@${k.clusterName}`;
  const cluster: Record<string, unknown> = { server: k.server };
  if (k.certificateAuthorityData) cluster['certificate-authority-data'] = k.certificateAuthorityData;
  if (k.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  return yaml.dump(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: k.clusterName, cluster }],
      users: [{ name: user, user: { token: k.token } }],
      contexts: [{ name: context, context: { cluster: k.clusterName, namespace: k.namespace, user } }],
      'current-context': context,
    },
    { lineWidth: -1 },
  );
}
