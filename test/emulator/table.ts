// meta.k8s.io/v1 Table responses (what `kubectl get` asks for), with per-type columns and
// server-side age formatting like kube-apiserver's table convertors.
import { PrinterColumn, ResourceType } from './resources';
import { KubeObject } from './store';

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept.split(',')[0]);
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 && h < 8 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** Value at a dotted path; `a || b` takes the first path that is set. */
function at(obj: KubeObject, jsonPath: string): unknown {
  if (jsonPath.includes(' || ')) {
    for (const p of jsonPath.split(' || ')) {
      const v = at(obj, p);
      if (v !== undefined && v !== null) return v;
    }
    return undefined;
  }
  let cur: unknown = obj;
  for (const seg of jsonPath.replace(/^\./, '').split('.')) {
    if (cur === undefined || cur === null) return undefined;
    const m = seg.match(/^([^[]*)(?:\[(\d+)\])?$/);
    if (!m) return undefined;
    cur = (cur as KubeObject)[m[1]];
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
  }
  return cur;
}

function columnsOf(t: ResourceType): PrinterColumn[] {
  const cols = [...t.columns];
  if (t.kind === 'Secret') cols.push({ name: 'Data', type: 'integer', jsonPath: '.data' });
  if (t.kind === 'ConfigMap') cols.push({ name: 'Data', type: 'integer', jsonPath: '.data' });
  if (!cols.some((c) => c.name === 'Age')) cols.push({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' });
  return cols;
}

function cell(c: PrinterColumn, obj: KubeObject, now: number): unknown {
  const v = at(obj, c.jsonPath);
  if (c.name === 'Data')
    return (
      Object.keys((v as KubeObject) ?? {}).length + (c.jsonPath === '.data' && obj.binaryData ? Object.keys(obj.binaryData).length : 0)
    );
  if (c.type === 'date') return typeof v === 'string' ? humanDuration(now - Date.parse(v)) : '<unknown>';
  if (v === undefined || v === null) return null;
  return Array.isArray(v) || typeof v === 'object' ? JSON.stringify(v) : v;
}

function rowObject(obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(t: ResourceType, objs: KubeObject[], meta: KubeObject, include: IncludeObject, headers = true): KubeObject {
  const cols = columnsOf(t);
  const now = Date.now();
  const columnDefinitions = headers
    ? [
        { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
        ...cols.map((c) => ({
          name: c.name,
          type: c.type === 'date' ? 'string' : c.type,
          format: '',
          description: c.name,
          priority: c.priority ?? 0,
        })),
      ]
    : [];
  const rows = objs.map((o) => {
    const row: KubeObject = { cells: [o.metadata.name, ...cols.map((c) => cell(c, o, now))] };
    const ro = rowObject(o, include);
    if (ro) row.object = ro;
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta, columnDefinitions, rows };
}
