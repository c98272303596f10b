// The text form of a ConnectionReport (`cluster-stacks check`, the extension's output channel). No secrets
// reach it (the report has none); ids and names are printed as Keystone returned them.
import type { ConnectionReport } from './check';

function ref(r: { id: string; name: string } | undefined): string {
  return r ? `"${r.name}" (${r.id})` : '-';
}

function until(iso: string, now: number): string {
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(t)) return iso;
  const days = (t - now) / 86_400_000;
  const when = days < 0 ? 'expired' : days < 1 ? `in ${Math.max(1, Math.round(days * 24))} h` : `in ${Math.round(days)} days`;
  return `${iso} (${when})`;
}

export function formatConnectionReport(r: ConnectionReport, now = Date.now()): string {
  const lines: string[] = [];
  lines.push(
    `cloud "${r.cloud}": ${r.ok ? 'OK: the OpenStack CCM and Cinder CSI can work with this credential' : 'FAILED: the OpenStack CCM or Cinder CSI could not work'}`,
  );
  lines.push(`  keystone    ${r.authUrl}`);
  if (r.token) {
    const t = r.token;
    const scope = t.project ? `project ${ref(t.project)}` : t.domain ? `domain ${ref(t.domain)}` : 'no project';
    lines.push(`  token       ${t.method.replace('_', ' ')} of user ${ref(t.user)}, ${scope}${t.trustId ? `, trust ${t.trustId}` : ''}`);
    lines.push(`  roles       ${t.roles.length ? t.roles.join(', ') : '-'}`);
    lines.push(`  expires     ${until(t.expiresAt, now)}`);
  }
  const ac = r.applicationCredential;
  if (ac) {
    lines.push(
      `  credential  application credential ${ref(ac)}: ${ac.expiresAt ? `expires ${until(ac.expiresAt, now)}` : 'never expires'}, ${ac.restricted ? 'restricted' : 'unrestricted'}`,
    );
  }
  if (r.catalogRegions) {
    const found = r.catalogRegions.includes(r.region);
    lines.push(`  region      ${r.region}: ${found ? 'in the catalog' : `NOT in the catalog (${r.catalogRegions.join(', ') || 'none'})`}`);
  }
  if (r.endpoints.length) {
    lines.push(`  endpoints   interface ${r.interface}, region ${r.region}`);
    const width = Math.max(...r.endpoints.map((e) => e.service.length));
    for (const e of r.endpoints) {
      const state = e.url ? 'ok     ' : e.required ? 'MISSING' : 'absent ';
      const detail = e.url
        ? `${e.url}${e.type && e.type !== e.service ? ` (as ${e.type})` : ''}`
        : e.required
          ? `needed by ${e.neededBy}`
          : e.service === 'load-balancer'
            ? 'not needed: [LoadBalancer] enabled=false'
            : `not needed: ${e.neededBy}`;
      lines.push(`    ${e.service.padEnd(width)}  ${state}  ${detail}`);
    }
  }
  for (const p of r.problems) lines.push(`  problem     ${p.code}: ${p.message}`);
  return lines.join('\n') + '\n';
}
