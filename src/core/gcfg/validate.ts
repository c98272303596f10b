/**
 * Validation of user-supplied extra sections (the converter's `extraSections`, the credential
 * commands' `[LoadBalancer]` options) against what OCCM and Cinder CSI bind and how gcfg parses each
 * type. Messages never contain the value of a secret key.
 */
import type { ConfSection } from './encode';
import { decodeValue } from './goValues';
import { describe, findKey, findSection, NON_KEYS, SECTIONS, UNSETTABLE } from './keys';
import { goQuote } from './parse';

export interface ExtraProblem {
  /** Index into the sections array, and into its entries when the problem is a key. */
  readonly section: number;
  readonly entry?: number;
  readonly severity: 'error' | 'warning';
  /** Never contains the value of a secret key. */
  readonly message: string;
}

/** Checks extra sections/keys against what OCCM and Cinder CSI bind and how gcfg parses each type. */
export function validateExtraSections(sections: readonly ConfSection[]): ExtraProblem[] {
  const problems: ExtraProblem[] = [];
  sections.forEach((s, si) => {
    const spec = findSection(s.name);
    if (!spec) {
      problems.push({
        section: si,
        severity: 'warning',
        message: `[${s.name}] is not a cloud.conf section OCCM or Cinder CSI reads (known: ${SECTIONS.map((x) => x.name).join(', ')}); gcfg ignores it as extra data`,
      });
      return;
    }
    const kinds = Object.values(spec.consumers);
    if (s.subsection !== undefined && !kinds.includes('map')) {
      problems.push({
        section: si,
        severity: 'warning',
        message: `[${spec.name} "${s.subsection}"]: ${spec.name} takes no subsection; gcfg ignores the whole section`,
      });
    } else if (s.subsection === undefined && spec.name === 'LoadBalancerClass') {
      problems.push({ section: si, severity: 'warning', message: 'LoadBalancerClass needs a class name: [LoadBalancerClass "name"]' });
    } else if (s.subsection !== undefined && spec.name === 'Global') {
      problems.push({
        section: si,
        severity: 'warning',
        message: `[Global "${s.subsection}"] is read by Cinder CSI only; OCCM ignores it`,
      });
    }
    s.entries.forEach((e, ei) => {
      const key = findKey(spec, e.key);
      const nonKey = NON_KEYS[e.key.toLowerCase()];
      if (!key) {
        const why = nonKey ? nonKey.why : `[${spec.name}] has no key "${e.key}" (${spec.keys.map((k) => k.name).join(', ')})`;
        problems.push({ section: si, entry: ei, severity: 'warning', message: `${why}; gcfg ignores it as extra data` });
        return;
      }
      const text = typeof e.value === 'boolean' ? String(e.value) : e.value;
      const shown = key.secret || e.secret ? 'the value' : goQuote(text);
      if (typeof e.value === 'boolean' && key.type !== 'bool' && key.name !== 'tls-insecure') {
        problems.push({ section: si, entry: ei, severity: 'error', message: `${key.name} is a ${key.type}, not a boolean` });
        return;
      }
      if (key.goType === '[]string') return;
      if (key.type === 'map') {
        problems.push({ section: si, entry: ei, severity: 'error', message: UNSETTABLE(key.name) });
        return;
      }
      const d = decodeValue(key.goType, false, text);
      if (!d.ok) {
        const hint = key.type === 'duration' && /^[+-]?[0-9.]+$/.test(text) ? ` (write a unit, e.g. ${text}s)` : '';
        const detail = key.secret || e.secret ? '' : `: ${d.error}`;
        problems.push({
          section: si,
          entry: ei,
          severity: 'error',
          message: `${key.name}: ${shown} is not a valid ${describe(key)}; OCCM/Cinder CSI would refuse the whole cloud.conf${hint}${detail}`,
        });
      } else if (key.name === 'tls-insecure' && text !== 'true' && text !== 'false') {
        problems.push({
          section: si,
          entry: ei,
          severity: 'warning',
          message: `tls-insecure is compared with exactly "true"; ${shown} keeps TLS verification on`,
        });
      }
    });
  });
  return problems;
}
