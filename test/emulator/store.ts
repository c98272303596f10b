// The object store: one global resourceVersion counter (like etcd), objects per resource type kept in
// insertion-independent key order (`<namespace>/<name>`, like etcd's key order), and a bounded event
// history so that watches can resume from a resourceVersion (410 Gone once it was compacted away).
import { LabelSelector, matchesFields, matchesLabels, FieldReq } from './selectors';
import { ResourceType } from './resources';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeObject = Record<string, any>;

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  type: EventType;
  t: ResourceType;
  obj: KubeObject;
  prev?: KubeObject;
}

export interface Filter {
  namespace?: string;
  labels?: LabelSelector;
  fields?: FieldReq[];
}

export interface Watcher {
  t: ResourceType;
  filter: Filter;
  send(type: EventType, obj: KubeObject): void;
}

class Table {
  readonly objects = new Map<string, KubeObject>();
  private sorted: string[] | undefined;
  keys(): string[] {
    if (!this.sorted) this.sorted = [...this.objects.keys()].sort();
    return this.sorted;
  }
  set(key: string, obj: KubeObject): void {
    if (!this.objects.has(key)) this.sorted = undefined;
    this.objects.set(key, obj);
  }
  delete(key: string): void {
    if (this.objects.delete(key)) this.sorted = undefined;
  }
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function matches(filter: Filter, obj: KubeObject): boolean {
  if (filter.namespace !== undefined && obj.metadata?.namespace !== filter.namespace) return false;
  if (filter.labels && !matchesLabels(filter.labels, obj.metadata?.labels)) return false;
  if (filter.fields && !matchesFields(filter.fields, obj)) return false;
  return true;
}

export class Store {
  private rv = 1000;
  private readonly tables = new Map<ResourceType, Table>();
  private history: StoredEvent[] = [];
  /** Events with rv <= compactedRv are gone; a watch from such a version gets 410. */
  private compactedRv = 1000;
  readonly watchers = new Set<Watcher>();
  /** Called with every committed event, of every type (the soak's record of what the server holds). */
  readonly observers = new Set<(ev: StoredEvent) => void>();

  constructor(public historyLimit = 5000) {}

  get currentRv(): number {
    return this.rv;
  }

  get oldestWatchableRv(): number {
    return this.compactedRv;
  }

  private table(t: ResourceType): Table {
    let tab = this.tables.get(t);
    if (!tab) {
      tab = new Table();
      this.tables.set(t, tab);
    }
    return tab;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.tables.get(t)?.objects.get(objectKey(namespace, name));
  }

  /** Objects in key order, starting after `afterKey` (for continue tokens). */
  *iterate(t: ResourceType, namespace?: string, afterKey?: string): Generator<[string, KubeObject]> {
    const tab = this.tables.get(t);
    if (!tab) return;
    const keys = tab.keys();
    const prefix = namespace !== undefined ? `${namespace}/` : '';
    let i = lowerBound(keys, afterKey !== undefined && afterKey >= prefix ? `${afterKey}\u0000` : prefix);
    for (; i < keys.length; i++) {
      const k = keys[i];
      if (prefix && !k.startsWith(prefix)) break;
      yield [k, tab.objects.get(k) as KubeObject];
    }
  }

  count(t: ResourceType): number {
    return this.tables.get(t)?.objects.size ?? 0;
  }

  nextRv(): number {
    return ++this.rv;
  }

  /** Writes (or deletes) an object, stamping a new resourceVersion, and notifies watchers. */
  commit(t: ResourceType, type: EventType, obj: KubeObject): KubeObject {
    const rv = this.nextRv();
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
    const key = objectKey(stored.metadata.namespace, stored.metadata.name);
    const tab = this.table(t);
    const prev = tab.objects.get(key);
    if (type === 'DELETED') tab.delete(key);
    else tab.set(key, stored);
    const ev: StoredEvent = { rv, type, t, obj: stored, prev };
    this.history.push(ev);
    // Compaction in batches (a quarter of the window at a time) keeps writes O(1) amortised.
    if (this.history.length > this.historyLimit + (this.historyLimit >> 2)) {
      const drop = this.history.length - this.historyLimit;
      this.compactedRv = this.history[drop - 1].rv;
      this.history = this.history.slice(drop);
    }
    for (const w of this.watchers) if (w.t === t) deliver(w, ev);
    for (const o of this.observers) o(ev);
    return stored;
  }

  /** Drops all history: every watch from an older resourceVersion now gets 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history = [];
  }

  /** Events after `rv` for a type, or undefined when that version was compacted away. */
  eventsSince(t: ResourceType, rv: number): StoredEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    const out: StoredEvent[] = [];
    for (let i = lowerBoundRv(this.history, rv + 1); i < this.history.length; i++) {
      if (this.history[i].t === t) out.push(this.history[i]);
    }
    return out;
  }
}

/** Sends one stored event to a watcher, turning selector transitions into ADDED/DELETED like the watch cache. */
export function deliver(w: Watcher, ev: StoredEvent): void {
  const now = matches(w.filter, ev.obj);
  const before = ev.prev !== undefined && ev.type !== 'ADDED' && matches(w.filter, ev.prev);
  if (ev.type === 'DELETED') {
    if (now) w.send('DELETED', ev.obj);
  } else if (ev.type === 'ADDED') {
    if (now) w.send('ADDED', ev.obj);
  } else if (now && before) w.send('MODIFIED', ev.obj);
  else if (now) w.send('ADDED', ev.obj);
  else if (before) w.send('DELETED', ev.obj);
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBoundRv(events: StoredEvent[], rv: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].rv < rv) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
