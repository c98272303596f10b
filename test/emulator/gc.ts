// kube-controller-manager's garbage collector, background propagation only: when an object goes, every
// object that names it in `metadata.ownerReferences` (by uid) and has no other owner that still exists is
// deleted through the API (so finalizers and admission apply, and a dependent with finalizers gets its
// deletionTimestamp and waits). Owners of kinds the emulator does not serve are treated as present, as the
// real collector cannot resolve them either. Foreground deletion and `blockOwnerDeletion` are not modelled.
import type { Api } from './api';
import { Registry, ResourceType } from './resources';
import { ApiError } from './status';
import { EventType, KubeObject, Store } from './store';

export class GarbageCollector {
  private readonly gone = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly api: Api,
    private readonly store: Store,
    private readonly registry: Registry,
  ) {
    for (const t of registry.types) {
      store.watchers.add({
        t,
        filter: {},
        send: (type: EventType, obj: KubeObject) => {
          if (type !== 'DELETED' || !obj.metadata?.uid) return;
          this.gone.add(String(obj.metadata.uid));
          this.schedule();
        },
      });
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.collect();
    });
  }

  private ownerExists(ref: KubeObject, namespace: string | undefined, gone: Set<string>): boolean {
    if (gone.has(String(ref.uid))) return false;
    const t = this.registry.byObject(String(ref.apiVersion ?? ''), String(ref.kind ?? ''));
    if (!t) return true;
    const owner = this.store.get(t, t.namespaced ? namespace : undefined, String(ref.name));
    return owner !== undefined && (!ref.uid || owner.metadata.uid === ref.uid);
  }

  private collect(): void {
    const gone = new Set(this.gone);
    this.gone.clear();
    const victims: [ResourceType, KubeObject][] = [];
    for (const t of this.registry.types) {
      if (t.createOnly) continue;
      for (const [, o] of this.store.iterate(t)) {
        const refs = (o.metadata.ownerReferences ?? []) as KubeObject[];
        if (!refs.some((r) => gone.has(String(r.uid)))) continue;
        if (refs.every((r) => !this.ownerExists(r, o.metadata.namespace, gone)) && !o.metadata.deletionTimestamp) victims.push([t, o]);
      }
    }
    for (const [t, o] of victims) {
      try {
        this.api.delete(t, o.metadata.namespace, o.metadata.name);
      } catch (e) {
        // Already gone, or a webhook denied it (the real collector retries; a later owner event retries here).
        if (!(e instanceof ApiError)) throw e;
      }
    }
  }
}
