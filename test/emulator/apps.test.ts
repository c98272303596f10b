// apps/v1 Deployments and DaemonSets against the machine's real kubectl: `kubectl rollout restart` and
// `kubectl rollout status` (kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go, objectrestarter.go)
// work with what the emulator's deployment and daemon-set controllers write, and a stalled cluster makes a
// rollout wait until kubectl gives up or the progress deadline is exceeded.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from './index';
import { eventually, kubectl, kubectlSpawn } from './helpers';

const NS = 'kube-system';

function deployment(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } },
      ...extra,
    },
  };
}

function daemonSet(name: string, nodeSelector?: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { ...(nodeSelector ? { nodeSelector } : {}), containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  };
}

describe('emulator apps/v1: kubectl rollout restart and rollout status', function () {
  this.timeout(90_000);
  let em: Emulator;
  let dir: string;
  const k = (...args: string[]) => kubectl(em.kubeconfigPath, args);
  const apply = async (obj: object) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(obj));
    const r = await k('apply', '-f', file);
    assert.equal(r.code, 0, r.stderr);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-apps-'));
    em = await startEmulator({ name: 'apps', apps: { stepMs: 50, podReadyMs: 100 } });
    for (const [name, cp] of [
      ['cp-0', true],
      ['md-0', false],
      ['md-1', false],
    ] as const) {
      em.put({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
      });
    }
  });
  after(async () => em.stop());
  afterEach(() => em.apps.stall(false));

  it('apply defaults the Deployment; rollout status waits for it; restart bumps the generation and rolls it out again', async () => {
    await apply(deployment('web'));
    const created = em.get('apps/v1', 'Deployment', NS, 'web');
    assert.deepEqual(created?.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(created?.spec.progressDeadlineSeconds, 600);
    const first = await k('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=30s');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /deployment "web" successfully rolled out/);
    const before = em.get('apps/v1', 'Deployment', NS, 'web');
    assert.equal(before?.metadata.annotations['deployment.kubernetes.io/revision'], '1');

    const r = await k('rollout', 'restart', 'deployment/web', '-n', NS);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'deployment.apps/web restarted');
    const restarted = em.get('apps/v1', 'Deployment', NS, 'web');
    assert.equal(restarted?.metadata.generation, before?.metadata.generation + 1);
    assert.match(restarted?.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT/);

    const second = await k('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=30s');
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /deployment "web" successfully rolled out/);
    const done = em.get('apps/v1', 'Deployment', NS, 'web');
    assert.equal(done?.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    assert.deepEqual(
      {
        observedGeneration: done?.status.observedGeneration,
        replicas: done?.status.replicas,
        updatedReplicas: done?.status.updatedReplicas,
        readyReplicas: done?.status.readyReplicas,
        availableReplicas: done?.status.availableReplicas,
      },
      { observedGeneration: done?.metadata.generation, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
    );
    const conds = Object.fromEntries(done?.status.conditions.map((c: { type: string; reason: string }) => [c.type, c.reason]));
    assert.deepEqual(conds, { Available: 'MinimumReplicasAvailable', Progressing: 'NewReplicaSetAvailable' });
    assert.match(
      done?.status.conditions.find((c: { type: string }) => c.type === 'Progressing').message,
      /^ReplicaSet "web-[bcdfghjklmnpqrstvwxz2456789]+" has successfully progressed\.$/,
    );
  });

  it('a DaemonSet runs on the matching Nodes; restart and rollout status follow updatedNumberScheduled and numberAvailable', async () => {
    await apply(daemonSet('ccm', { 'node-role.kubernetes.io/control-plane': '' }));
    await apply(daemonSet('csi-node'));
    for (const name of ['ccm', 'csi-node']) {
      const s = await k('rollout', 'status', `daemonset/${name}`, '-n', NS, '--timeout=30s');
      assert.equal(s.code, 0, s.stderr);
      assert.match(s.stdout, new RegExp(`daemon set "${name}" successfully rolled out`));
    }
    assert.equal(em.get('apps/v1', 'DaemonSet', NS, 'ccm')?.status.desiredNumberScheduled, 1);
    assert.equal(em.get('apps/v1', 'DaemonSet', NS, 'csi-node')?.status.desiredNumberScheduled, 3);
    assert.equal(em.get('apps/v1', 'DaemonSet', NS, 'csi-node')?.spec.updateStrategy.type, 'RollingUpdate');
    // Pods are held unready during the restart, so that kubectl sees the rollout in progress whatever the load.
    em.apps.stall(true);
    const r = await k('rollout', 'restart', 'daemonset/csi-node', '-n', NS);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'daemonset.apps/csi-node restarted');
    const status = kubectlSpawn(em.kubeconfigPath, ['rollout', 'status', 'daemonset/csi-node', '-n', NS, '--timeout=60s']);
    const exited = new Promise<number | null>((resolve) => status.child.on('exit', (code) => resolve(code)));
    await eventually(() => /1 out of 3 new pods have been updated/.test(status.output()), 30_000, 'kubectl to report the first pod');
    // maxUnavailable 1: with one new pod not ready, no second one is replaced.
    assert.equal(em.get('apps/v1', 'DaemonSet', NS, 'csi-node')?.status.updatedNumberScheduled, 1);
    em.apps.stall(false);
    assert.equal(await exited, 0, status.output());
    assert.match(status.output(), /daemon set "csi-node" successfully rolled out/);
    const ds = em.get('apps/v1', 'DaemonSet', NS, 'csi-node');
    assert.deepEqual([ds?.status.updatedNumberScheduled, ds?.status.numberAvailable, ds?.status.numberReady], [3, 3, 3]);
  });

  it('a stalled cluster: rollout status times out, and a Deployment with a short deadline reports ProgressDeadlineExceeded', async () => {
    await apply(deployment('stuck', { progressDeadlineSeconds: 1 }));
    assert.equal((await k('rollout', 'status', 'deployment/stuck', '-n', NS, '--timeout=30s')).code, 0);
    em.apps.stall(true);
    const r = await k('rollout', 'restart', 'deployment/stuck', '-n', NS);
    assert.equal(r.code, 0, r.stderr);
    const s = await k('rollout', 'status', 'deployment/stuck', '-n', NS, '--timeout=20s');
    assert.notEqual(s.code, 0);
    assert.match(s.stderr, /deployment "stuck" exceeded its progress deadline/);
    const d = em.get('apps/v1', 'Deployment', NS, 'stuck');
    assert.equal(d?.status.conditions.find((c: { type: string }) => c.type === 'Progressing').reason, 'ProgressDeadlineExceeded');
    assert.ok(d?.status.updatedReplicas < 2 || d?.status.availableReplicas < 2);

    await apply(daemonSet('stuck-ds'));
    const ds = await k('rollout', 'status', 'daemonset/stuck-ds', '-n', NS, '--timeout=2s');
    assert.notEqual(ds.code, 0);
    assert.match(ds.stderr, /timed out waiting for the condition/);
    assert.match(ds.stdout, /Waiting for daemon set "stuck-ds" rollout to finish: 0 of 3 updated pods are available/);
  });

  it('restart refuses a paused Deployment (kubectl) and the API refuses a selector that does not match the template', async () => {
    await apply(deployment('paused', { paused: true }));
    const r = await k('rollout', 'restart', 'deployment/paused', '-n', NS);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /can't restart paused deployment \(run rollout resume first\)/);
    const bad = deployment('bad');
    bad.spec.selector = { matchLabels: { app: 'other' } };
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const b = await k('apply', '-f', file);
    assert.notEqual(b.code, 0);
    assert.match(b.stderr, /spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`/);
  });
});
