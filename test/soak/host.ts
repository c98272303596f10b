/**
 * The fault soak's server side, in its own process (so that the soak process measures only the
 * clients' memory and event loop): one Kubernetes API emulator (test/emulator) with the soak's tenants,
 * driven over IPC by test/soak/soak.ts. It injects the faults it is told to, churns the watched kinds the
 * way controllers do (direct store writes: Secrets and Cluster status in the tenants, namespaces that come
 * and go), and records every committed write of the soak's objects — the truth the writer's reports are
 * checked against. Like the emulator, it imports nothing from src/.
 */
import { type Emulator, type Faults, startEmulator } from '../emulator';
import type { RequestRecord } from '../emulator/server';
import { clusterFixture } from '../kube/clusterFixture';

export const TENANTS = ['soak-0', 'soak-1', 'soak-2', 'soak-3'];
/** The Secret keys every soak write sets to the same value: a state with two different values is half-written. */
export const STAMP_KEYS = ['k1', 'k2', 'k3', 'k4'];
export const GEN_LABEL = 'soak-gen';

/** One committed write of an object the writer owns (Secrets `soak-s*`, Clusters `soak-c*`). */
export interface TruthEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  at: number;
  rv: number;
  kind: string;
  namespace: string;
  name: string;
  gen?: string;
  /** For Secrets: every stamp key decodes to the label's gen. */
  consistent: boolean;
}

export type HostRequest =
  | { cmd: 'start' }
  | { cmd: 'faults'; faults: Omit<Faults, 'pathPattern'> }
  | { cmd: 'restart'; compact: boolean }
  | { cmd: 'cutWatches' }
  | { cmd: 'churn'; on: boolean }
  | { cmd: 'truth' }
  | { cmd: 'requests' }
  | { cmd: 'stop' };

export interface HostStarted {
  kubeconfigPath: string;
  context: string;
  url: string;
  caPem: string;
  tokens: { explorer: string; writer: string };
}

export const CLUSTER_OWNED = (t: string, i: number) => `soak-c${i}-${t}`;

function seed(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const ns of TENANTS) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'openstack', namespace: ns },
      data: { 'clouds.yaml': Buffer.from('clouds: {}\n').toString('base64') },
    });
    for (let i = 0; i < 3; i++) out.push(clusterFixture(ns, CLUSTER_OWNED(ns, i)));
    for (let i = 0; i < 3; i++) out.push(clusterFixture(ns, `churn-c${i}`));
  }
  return out;
}

const decode = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined);

class Host {
  private em?: Emulator;
  private readonly truth: TruthEvent[] = [];
  private churnTimer?: NodeJS.Timeout;
  private churnStep = 0;

  async handle(r: HostRequest): Promise<unknown> {
    switch (r.cmd) {
      case 'start':
        return this.start();
      case 'faults':
        this.emulator.faults.set({ ...r.faults, seed: r.faults.seed ?? Date.now() % 100_000 });
        return undefined;
      case 'restart':
        await this.emulator.restart({ compact: r.compact });
        return undefined;
      case 'cutWatches':
        this.emulator.cutWatches();
        return undefined;
      case 'churn':
        this.churn(r.on);
        return undefined;
      case 'truth':
        return this.truth;
      case 'requests':
        return this.emulator.requests.map((q: RequestRecord) => ({ ...q }));
      case 'stop':
        this.churn(false);
        await this.em?.stop();
        return undefined;
    }
  }

  private get emulator(): Emulator {
    if (!this.em) throw new Error('soak host: not started');
    return this.em;
  }

  private async start(): Promise<HostStarted> {
    const em = await startEmulator({
      name: 'soak',
      seed: seed(),
      users: [
        { name: 'soak-explorer', clusterRole: 'cluster-admin' },
        { name: 'soak-writer', clusterRole: 'cluster-admin' },
      ],
      webhooks: false,
    });
    this.em = em;
    em.observe((ev) => {
      const md = ev.object.metadata ?? {};
      const name = String(md.name ?? '');
      const owned = (ev.kind === 'Secret' && name.startsWith('soak-s')) || (ev.kind === 'Cluster' && name.startsWith('soak-c'));
      if (!owned) return;
      const gen = md.labels?.[GEN_LABEL] as string | undefined;
      const consistent = ev.kind !== 'Secret' || STAMP_KEYS.every((k) => decode(ev.object.data?.[k]) === gen);
      this.truth.push({
        type: ev.type,
        at: Date.now(),
        rv: ev.rv,
        kind: ev.kind,
        namespace: String(md.namespace ?? ''),
        name,
        gen,
        consistent,
      });
    });
    return {
      kubeconfigPath: em.kubeconfigPath,
      context: em.name,
      url: em.url,
      caPem: em.caPem,
      tokens: { explorer: em.userToken('soak-explorer'), writer: em.userToken('soak-writer') },
    };
  }

  /** Controller-like writes straight into the store, every 100 ms while on. */
  private churn(on: boolean): void {
    if (this.churnTimer) clearInterval(this.churnTimer);
    this.churnTimer = undefined;
    if (!on) return;
    this.churnTimer = setInterval(() => {
      const em = this.emulator;
      const n = this.churnStep++;
      const ns = TENANTS[n % TENANTS.length];
      switch (n % 5) {
        case 0:
        case 1: {
          const name = `churn-s${n % 7}`;
          if (n % 3 === 0) em.delete('v1', 'Secret', ns, name);
          else
            em.put({
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name, namespace: ns },
              data: { v: Buffer.from(String(n)).toString('base64') },
            });
          break;
        }
        case 2: {
          const c = clusterFixture(ns, `churn-c${n % 3}`);
          (c.status as { phase: string }).phase = n % 2 ? 'Provisioned' : 'Provisioning';
          em.put(c);
          break;
        }
        case 3: {
          const name = `soak-extra-${n % 4}`;
          if (em.get('v1', 'Namespace', undefined, name)) em.delete('v1', 'Namespace', undefined, name);
          else em.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
          break;
        }
        default:
          em.put({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'openstack', namespace: ns },
            data: { n: Buffer.from(String(n)).toString('base64') },
          });
      }
    }, 100);
  }
}

const host = new Host();
process.on('message', (m: { id: number; req: HostRequest }) => {
  host.handle(m.req).then(
    (result) => process.send?.({ id: m.id, ok: true, result }),
    (e: unknown) => process.send?.({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
process.on('disconnect', () => {
  void host.handle({ cmd: 'stop' }).finally(() => process.exit(0));
});
