/**
 * Kubernetes API emulator for tests (test support only; never bundled into the extension).
 *
 * Programmatic API
 * ----------------
 *   import { startEmulator } from '../emulator';
 *   const em = await startEmulator({ name: 'mgmt', seed: [fixturesDir, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't1' } }] });
 *   process.env.KUBECONFIG = em.kubeconfigPath;     // context name = em.name, admin token user
 *   ...
 *   await em.stop();
 *
 * `startEmulator(options?: EmulatorOptions): Promise<Emulator>`
 *   options.name              context/cluster name in the kubeconfig (default `emulator-<n>`)
 *   options.seed              objects and/or paths of YAML files or directories (multi-document). Objects
 *                             of namespaced kinds without a namespace go to `defaultNamespace` ('default');
 *                             missing namespaces are created. Fixture names containing `${...}`
 *                             placeholders are skipped (see `em.skippedSeeds`). `cluster.x-k8s.io/v1alpha3`
 *                             objects are stored as v1beta1 (same layout in the fixtures; v1alpha3 is no
 *                             longer served by CAPI). Status is kept (seeding bypasses the API).
 *   options.uninstalledCrds   CRD names (`clusterstacks.clusterstack.x-k8s.io`) or whole groups
 *                             (`clusterstack.x-k8s.io`) to leave uninstalled: absent from discovery and
 *                             from `customresourcedefinitions`, 404 on their paths.
 *   options.users             bearer-token users: `{ name, token?, groups?, namespaces?: { ns: 'admin'|'edit'|'view' },
 *                             clusterRole? }` → RoleBindings/ClusterRoleBinding to the default ClusterRoles.
 *   options.faults            initial fault injection (see `Faults` in server.ts).
 *   options.historyLimit      watch event history kept for resuming watches (default 20000).
 *   options.port              fixed port (default: a free one).
 *   options.webhooks          `{ capi?, cso?, csoCluster? }`: the admission webhooks of admission.ts (CAPI's
 *                             ClusterResourceSet and CSO's ClusterStack/Release on by default, CSO's Cluster
 *                             webhook off); `false` for none. `put` bypasses them like it bypasses the API.
 *   options.apps              `{ stepMs?, podReadyMs?, stalled? }` for the deployment/daemon-set controllers.
 *
 * `Emulator`
 *   name, url (https://127.0.0.1:<port>), port, caPem, token (admin bearer token), kubeconfigPath
 *   kubeconfig(user?)         kubeconfig YAML text, for the admin or a configured user name / raw token
 *   stop()                    stops the server and any workload emulators it started (temp files removed)
 *   restart({ compact? })     stops and listens again on the same port with the same CA; the store survives, and so
 *                             does the watch history (resourceVersion continuity, as with etcd's history) unless
 *                             `compact`: then watches from older versions get 410 Gone, as from a kube-apiserver
 *                             whose watch cache was rebuilt at start
 *   observe(fn)               fn(event) for every committed write ({ type, rv, apiVersion, kind, object }); returns a disposer
 *   goAway(ms)                the server disappears for `ms` milliseconds, then comes back (same port)
 *   put(obj) / get(apiVersion, kind, namespace, name) / list(apiVersion, kind, namespace?, labelSelector?) /
 *   delete(apiVersion, kind, namespace, name)   direct store access for seeding and asserting (put is an
 *                             upsert that keeps status, returns the new resourceVersion, and emits watch
 *                             events like any write, but is not validated; get/list return copies)
 *   faults.set(f) / faults.clear() / faults.current   fault injection (latency, 429, 500, dropped
 *                             connections, watch streams cut after N events or ms); cutWatches() cuts now
 *   compact()                 drops the watch history: watches from older resourceVersions get 410 Gone
 *   requestCount              Map "<METHOD> <path>" → count; requests: [{method, path, status, ms}]; resetRequests()
 *   addWorkloadCluster(namespace, clusterName, options?) starts another emulator and stores its kubeconfig
 *                             in the Secret `<clusterName>-kubeconfig` (key `value`, type cluster.x-k8s.io/secret,
 *                             label cluster.x-k8s.io/cluster-name) of this one; `workloads` lists them.
 *   apps.stall(on)            new pods of Deployments/DaemonSets never become ready (a cluster that does not come up)
 *   serviceAccountToken(namespace, name)  creates (if needed) the ServiceAccount and a token Secret and
 *                             returns the minted token (authenticates as system:serviceaccount:<ns>:<name>).
 *
 * kubectl: discovery is served unaggregated (`/api`, `/apis`, group versions); `/openapi/v3` lists every
 * group version with `fieldValidation` on PATCH and the schemas the server validates with (schemas.json),
 * so kubectl does server-side validation and needs no `--validate=false`; `/openapi/v2` is 404. Set
 * KUBECACHEDIR to a temp dir. Writes are validated like kube-apiserver's (validation.ts, schema.ts); `put`
 * bypasses that for seeding. Objects are stored as written and served as-is from every served version (no
 * conversion between v1beta1 and v1beta2). Covered and uncovered apiserver behaviours: test/emulator/README.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { Admission, WebhookOptions } from './admission';
import { Api, nowTimestamp } from './api';
import { AppsControllers, AppsOptions } from './apps';
import { crdObject } from './discovery';
import { loadYamlObjects } from './fixtures';
import { GarbageCollector } from './gc';
import { defaultClusterRoles, TokenMinter, UserInfo } from './rbac';
import { CRD_TYPES, Registry, ResourceType } from './resources';
import { applyDefaults, modelFor } from './schema';
import { ApiServer, Faults, RequestRecord } from './server';
import { EventType, KubeObject, Store, StoredEvent } from './store';
import { generateTls, TlsMaterial } from './tls';

export type { Faults } from './server';
export type { KubeObject } from './store';
export { ApiError } from './status';

export interface UserSpec {
  name: string;
  token?: string;
  groups?: string[];
  namespaces?: Record<string, 'admin' | 'edit' | 'view'>;
  clusterRole?: 'cluster-admin' | 'admin' | 'edit' | 'view';
}

export interface EmulatorOptions {
  name?: string;
  seed?: Array<KubeObject | string>;
  defaultNamespace?: string;
  uninstalledCrds?: string[];
  users?: UserSpec[];
  faults?: Faults;
  historyLimit?: number;
  port?: number;
  /** Admission webhooks of CAPI and the cluster-stack operator (see admission.ts); `false` = none. */
  webhooks?: WebhookOptions | false;
  /** The deployment and daemon-set controllers (apps.ts). */
  apps?: AppsOptions;
}

export interface FaultControl {
  set(f: Faults): void;
  clear(): void;
  readonly current: Faults;
}

let counter = 0;

export class Emulator {
  readonly name: string;
  readonly token = `emulator-admin-${randomBytes(16).toString('hex')}`;
  readonly kubeconfigPath: string;
  readonly skippedSeeds: { file?: string; name: string; reason: string }[] = [];
  readonly workloads = new Map<string, Emulator>();
  readonly faults: FaultControl;
  /** kube-controller-manager's deployment and daemon-set controllers; `apps.stall(true)` keeps new pods unready. */
  readonly apps: AppsControllers;
  private readonly dir: string;
  private readonly users = new Map<string, UserSpec & { token: string }>();
  private readonly store: Store;
  private readonly registry: Registry;
  private readonly api: Api;
  private readonly server: ApiServer;
  private stopped = false;

  private constructor(
    private readonly tls: TlsMaterial,
    private readonly options: EmulatorOptions,
  ) {
    this.name = options.name ?? `emulator-${++counter}`;
    this.registry = new Registry(options.uninstalledCrds);
    this.store = new Store(options.historyLimit ?? 20000);
    const minter = new TokenMinter();
    this.api = new Api(this.store, this.registry, minter, () => tls.caPem);
    if (options.webhooks !== false) this.api.admission = new Admission(this.store, this.registry, options.webhooks);
    this.apps = new AppsControllers(this.api, this.store, this.registry, options.apps);
    new GarbageCollector(this.api, this.store, this.registry);
    this.server = new ApiServer(tls, this.registry, this.store, this.api, (token) => this.authenticate(token), minter);
    this.dir = mkdtempSync(join(tmpdir(), 'kube-emulator-'));
    this.kubeconfigPath = join(this.dir, 'kubeconfig');
    const server = this.server;
    this.faults = {
      set: (f) => server.setFaults(f),
      clear: () => server.setFaults({}),
      get current() {
        return server.getFaults();
      },
    };
  }

  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const tls = await generateTls(options.name ?? 'kube-emulator');
    const em = new Emulator(tls, options);
    em.bootstrap();
    await em.server.listen(options.port ?? 0);
    em.apps.start();
    if (options.faults) em.server.setFaults(options.faults);
    writeFileSync(em.kubeconfigPath, em.kubeconfig(), { mode: 0o600 });
    return em;
  }

  private bootstrap(): void {
    for (const ns of ['default', 'kube-system', 'kube-public']) this.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const r of defaultClusterRoles()) this.put(r);
    for (const t of CRD_TYPES) if (this.registry.types.includes(t)) this.put(crdObject(t));
    for (const u of this.options.users ?? []) this.addUser(u);
    for (const s of this.options.seed ?? []) {
      if (typeof s === 'string') {
        for (const { object, file } of loadYamlObjects(s)) this.seedOne(object, file);
      } else this.put(s);
    }
  }

  private seedOne(object: KubeObject, file: string): void {
    const name = String(object?.metadata?.name ?? '');
    if (!name || name.includes('${')) {
      this.skippedSeeds.push({ file, name, reason: 'name is a template placeholder or missing' });
      return;
    }
    if (!this.typeOf(object)) {
      this.skippedSeeds.push({ file, name, reason: `${object.kind} (${object.apiVersion}) is not served` });
      return;
    }
    this.put(object);
  }

  addUser(u: UserSpec): string {
    const token = u.token ?? `${u.name}-${randomBytes(12).toString('hex')}`;
    this.users.set(u.name, { ...u, token });
    for (const [ns, role] of Object.entries(u.namespaces ?? {})) {
      this.ensureNamespace(ns);
      this.put({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `emulator-user-${u.name}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-'), namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: u.name }],
      });
    }
    if (u.clusterRole) {
      this.put({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `emulator-user-${u.name}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-') },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: u.clusterRole },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: u.name }],
      });
    }
    return token;
  }

  private authenticate(token: string): UserInfo | undefined {
    if (token === this.token)
      return { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:masters', 'system:authenticated'] };
    for (const u of this.users.values()) {
      if (u.token === token) return { name: u.name, groups: [...(u.groups ?? []), 'system:authenticated'] };
    }
    const sa = this.server.minter.verify(token);
    if (!sa) return undefined;
    const saType = this.registry.byKind('', 'ServiceAccount') as ResourceType;
    if (!this.store.get(saType, sa.namespace, sa.serviceAccount)) return undefined;
    if (sa.secretName) {
      const secret = this.store.get(this.registry.byKind('', 'Secret') as ResourceType, sa.namespace, sa.secretName);
      if (!secret || Buffer.from(secret.data?.token ?? '', 'base64').toString('utf8') !== token) return undefined;
    }
    return {
      name: `system:serviceaccount:${sa.namespace}:${sa.serviceAccount}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`, 'system:authenticated'],
    };
  }

  get url(): string {
    return `https://127.0.0.1:${this.server.port}`;
  }

  get port(): number {
    return this.server.port;
  }

  get caPem(): string {
    return this.tls.caPem;
  }

  get requestCount(): Map<string, number> {
    return this.server.requestCount;
  }

  get requests(): RequestRecord[] {
    return this.server.requests;
  }

  resetRequests(): void {
    this.server.requestCount.clear();
    this.server.requests.length = 0;
  }

  get openWatches(): number {
    return this.server.openWatches;
  }

  /** Kubeconfig text: the admin (default), a configured user by name, or `{ token }`. */
  kubeconfig(user?: string | { token: string; name?: string }, contextName = this.name): string {
    let token = this.token;
    let userName = `${this.name}-admin`;
    if (typeof user === 'string') {
      const u = this.users.get(user);
      if (!u) throw new Error(`emulator: no user "${user}"`);
      token = u.token;
      userName = user;
    } else if (user) {
      token = user.token;
      userName = user.name ?? 'token-user';
    }
    return dump(
      {
        apiVersion: 'v1',
        kind: 'Config',
        preferences: {},
        clusters: [
          { name: this.name, cluster: { server: this.url, 'certificate-authority-data': Buffer.from(this.tls.caPem).toString('base64') } },
        ],
        users: [{ name: userName, user: { token } }],
        contexts: [{ name: contextName, context: { cluster: this.name, user: userName } }],
        'current-context': contextName,
      },
      { lineWidth: -1 },
    );
  }

  userToken(name: string): string {
    const u = this.users.get(name);
    if (!u) throw new Error(`emulator: no user "${name}"`);
    return u.token;
  }

  private typeOf(obj: KubeObject): ResourceType | undefined {
    const apiVersion = String(obj?.apiVersion ?? '').replace(/^cluster\.x-k8s\.io\/v1alpha[34]$/, 'cluster.x-k8s.io/v1beta1');
    return this.registry.byObject(apiVersion, String(obj?.kind ?? ''));
  }

  private typeFor(apiVersion: string, kind: string): ResourceType {
    const t = this.typeOf({ apiVersion, kind });
    if (!t) throw new Error(`emulator: ${kind} (${apiVersion}) is not served`);
    return t;
  }

  private ensureNamespace(ns: string): void {
    if (!this.get('v1', 'Namespace', undefined, ns)) this.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }

  /** Upsert bypassing admission: keeps status/uid/creationTimestamp when given; emits a watch event. */
  put(input: KubeObject): string {
    const t = this.typeOf(input);
    if (!t) throw new Error(`emulator: ${input?.kind} (${input?.apiVersion}) is not served`);
    const obj: KubeObject = JSON.parse(JSON.stringify(input));
    if (/^cluster\.x-k8s\.io\/v1alpha[34]$/.test(obj.apiVersion)) obj.apiVersion = 'cluster.x-k8s.io/v1beta1';
    // kube-apiserver applies CRD defaults to objects read from storage too, so seeded CRs carry them.
    const model = t.crd ? modelFor(t.group, String(obj.apiVersion).split('/').pop() ?? '', t.kind) : undefined;
    if (model) applyDefaults(obj, model.root);
    obj.metadata = { ...(obj.metadata ?? {}) };
    const md = obj.metadata;
    if (t.namespaced) {
      md.namespace ??= this.options.defaultNamespace ?? 'default';
      this.ensureNamespace(md.namespace);
    } else delete md.namespace;
    const old = this.store.get(t, md.namespace, md.name);
    md.uid ??= old?.metadata.uid ?? randomUUID();
    md.creationTimestamp ??= old?.metadata.creationTimestamp ?? nowTimestamp();
    delete md.resourceVersion;
    if (t.generation) md.generation ??= 1;
    if (t.kind === 'Secret' && t.group === '') {
      const data: KubeObject = { ...(obj.data ?? {}) };
      for (const [k, v] of Object.entries(obj.stringData ?? {})) data[k] = Buffer.from(String(v)).toString('base64');
      if (Object.keys(data).length) obj.data = data;
      delete obj.stringData;
      if (!obj.type) obj.type = 'Opaque';
    }
    if (t.kind === 'Namespace' && t.group === '') {
      md.labels = { ...md.labels, 'kubernetes.io/metadata.name': md.name };
      obj.spec ??= { finalizers: ['kubernetes'] };
      obj.status ??= { phase: md.deletionTimestamp ? 'Terminating' : 'Active' };
    }
    return this.store.commit(t, old ? 'MODIFIED' : 'ADDED', obj).metadata.resourceVersion;
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.typeFor(apiVersion, kind);
    const o = this.store.get(t, t.namespaced ? namespace : undefined, name);
    return o && structuredClone(o);
  }

  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): KubeObject[] {
    const t = this.typeFor(apiVersion, kind);
    return this.api.list(t, { namespace, labelSelector }).items.map((o) => structuredClone(o));
  }

  /** Removes an object outright (no finalizers, no namespace termination); true when it existed. */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
    const t = this.typeFor(apiVersion, kind);
    const o = this.store.get(t, t.namespaced ? namespace : undefined, name);
    if (!o) return false;
    this.store.commit(t, 'DELETED', o);
    return true;
  }

  get resourceVersion(): string {
    return String(this.store.currentRv);
  }

  compact(): void {
    this.store.compact();
    this.api.continueFloor = this.store.currentRv + 1;
  }

  cutWatches(): void {
    this.server.cutWatches();
  }

  /** Creates the ServiceAccount (if needed) and a token Secret, and returns the minted token. */
  serviceAccountToken(namespace: string, name: string): string {
    this.ensureNamespace(namespace);
    if (!this.get('v1', 'ServiceAccount', namespace, name))
      this.put({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
    const secretName = `${name}-token`;
    const t = this.typeFor('v1', 'Secret');
    const existing = this.store.get(t, namespace, secretName);
    const secret =
      existing ??
      this.api.create(
        t,
        namespace,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'kubernetes.io/service-account-token',
          metadata: { name: secretName, annotations: { 'kubernetes.io/service-account.name': name } },
        },
        { fieldManager: 'emulator' },
      );
    return Buffer.from(secret.data.token, 'base64').toString('utf8');
  }

  async addWorkloadCluster(namespace: string, clusterName: string, options: EmulatorOptions = {}): Promise<Emulator> {
    const child = await Emulator.start({ ...options, name: options.name ?? clusterName });
    this.workloads.set(`${namespace}/${clusterName}`, child);
    const ctx = `${clusterName}-admin@${clusterName}`;
    const kubeconfig = child.kubeconfig({ token: child.token, name: `${clusterName}-admin` }, ctx);
    this.put({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'cluster.x-k8s.io/secret',
      metadata: { name: `${clusterName}-kubeconfig`, namespace, labels: { 'cluster.x-k8s.io/cluster-name': clusterName } },
      data: { value: Buffer.from(kubeconfig).toString('base64') },
    });
    return child;
  }

  async restart(opts: { compact?: boolean } = {}): Promise<void> {
    await this.server.close();
    if (opts.compact) this.compact();
    await this.server.listen(this.server.port);
  }

  /** Every committed write, as stored (deletes carry the last state); the returned function stops it. */
  observe(fn: (ev: { type: EventType; rv: number; apiVersion: string; kind: string; object: KubeObject }) => void): () => void {
    const o = (ev: StoredEvent) => fn({ type: ev.type, rv: ev.rv, apiVersion: ev.obj.apiVersion, kind: ev.t.kind, object: ev.obj });
    this.store.observers.add(o);
    return () => this.store.observers.delete(o);
  }

  /** The server disappears (connections dropped, port closed) and comes back after `ms`. */
  async goAway(ms: number): Promise<void> {
    await this.server.close();
    await new Promise((r) => setTimeout(r, ms));
    if (!this.stopped) await this.server.listen(this.server.port);
  }

  get listening(): boolean {
    return this.server.listening;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.apps.stop();
    await Promise.all([...this.workloads.values()].map((w) => w.stop()));
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  return Emulator.start(options);
}
