/**
 * Reading a whole parsed cloud.conf into OCCM's or Cinder CSI's config, the way
 * `gcfg.FatalOnly(gcfg.ReadInto(&cfg, r))` does (read.go's two passes + set.go): same verdict, same
 * values, same error text.
 */
import { decodeValue } from './goValues';
import { findKey, findSection, type Consumer, type KeySpec, type SectionSpec } from './keys';
import type { GcfgDocument, GcfgVariable } from './parse';

export type ConfValueOut = string | boolean | readonly string[];

export interface DecodedConf {
  readonly ok: boolean;
  readonly error?: string;
  /** `[Global]` keys set, by spec name (the plain `[Global]` entry for Cinder CSI). */
  readonly global: Readonly<Record<string, ConfValueOut>>;
  /** Other sections with keys set, named like the conformance checker: `LoadBalancer`, `LoadBalancerClass "name"`, `Global "name"` (the name as gcfg unquoted it). */
  readonly sections: Readonly<Record<string, Readonly<Record<string, ConfValueOut>>>>;
}

/** What `gcfg.FatalOnly(gcfg.ReadInto(&cfg, r))` yields for OCCM's or Cinder CSI's Config. */
export function decodeCloudConf(doc: GcfgDocument, consumer: Consumer): DecodedConf {
  const store = new Map<string, Map<string, ConfValueOut>>();
  const entry = (key: string): Map<string, ConfValueOut> => {
    let m = store.get(key);
    if (!m) store.set(key, (m = new Map()));
    return m;
  };
  const kindOf = (name: string): { spec: SectionSpec; kind: 'struct' | 'map' } | undefined => {
    const spec = findSection(name);
    const kind = spec?.consumers[consumer];
    return spec && kind ? { spec, kind } : undefined;
  };
  const fail = (error: string): DecodedConf => ({ ok: false, error, global: {}, sections: {} });

  for (const subsectPass of [false, true]) {
    for (const h of doc.headers) {
      const k = kindOf(h.name);
      if (subsectPass && k?.kind === 'map') entry(`${k.spec.name} "${h.subsection ?? ''}"`);
    }
    for (const v of doc.variables) {
      const k = kindOf(v.header.name);
      if (!k || (k.kind === 'map') !== subsectPass) continue;
      if (k.kind === 'struct' && v.header.subsection !== undefined) continue;
      const key = findKey(k.spec, v.name);
      if (!key) continue;
      const loc = `section "${v.header.name}"${k.kind === 'map' ? `, subsection "${v.header.subsection ?? ''}"` : ''}, variable "${v.name}"`;
      const target = entry(k.kind === 'map' ? `${k.spec.name} "${v.header.subsection ?? ''}"` : k.spec.name);
      const error = setVariable(target, key, v);
      if (error) return fail(`${error} at ${loc}`);
    }
    if (!subsectPass && doc.error) return fail(doc.error.goError);
  }

  const asObject = (m: Map<string, ConfValueOut>): Record<string, ConfValueOut> => Object.fromEntries(m);
  const globalKey = consumer === 'occm' ? 'Global' : 'Global ""';
  const sections: Record<string, Record<string, ConfValueOut>> = {};
  for (const [name, m] of store) {
    if (name === globalKey) continue;
    if (m.size || name.includes(' ')) sections[name] = asObject(m);
  }
  return { ok: true, global: asObject(store.get(globalKey) ?? new Map()), sections };
}

function setVariable(target: Map<string, ConfValueOut>, key: KeySpec, v: GcfgVariable): string | undefined {
  if (key.goType === '[]string') {
    if (v.blank) target.delete(key.name);
    else target.set(key.name, [...((target.get(key.name) as readonly string[] | undefined) ?? []), v.value]);
    return undefined;
  }
  const d = decodeValue(key.goType, v.blank, v.value);
  if (!d.ok) return d.error;
  target.set(key.name, d.value);
  return undefined;
}
