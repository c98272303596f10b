/**
 * What of a `cacert` file is shipped into a cluster: its CERTIFICATE blocks, nothing else. The
 * consumers read only those — Go's crypto/x509 `AppendCertsFromPEM` (OCCM, Cinder CSI, CAPO) skips
 * every block whose type is not exactly CERTIFICATE, OpenSSL's CA loading (openstacksdk) takes
 * certificates only — so dropping comments and other blocks changes nothing they read, while a
 * private key beside the CA would be copied into every workload cluster. A key block is refused.
 */

export interface PemBlock {
  readonly label: string;
  /** 1-based line of its BEGIN line in the file. */
  readonly line: number;
}

export type PemFilter =
  | { readonly ok: true; readonly pem: string; readonly certificates: number; readonly others: readonly PemBlock[] }
  | { readonly ok: false; readonly problem: 'key'; readonly block: PemBlock }
  | { readonly ok: false; readonly problem: 'none' }
  | { readonly ok: false; readonly problem: 'malformed'; readonly line: number; readonly why: string };

const BEGIN = /^-----BEGIN ([A-Z0-9][A-Z0-9 ]*)-----$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** The CERTIFICATE blocks of `text` (lines as in the file, `\n`-terminated), or why there is nothing safe to ship. */
export function certificatesOnly(text: string): PemFilter {
  const lines = text.split('\n').map((l) => l.replace(/[ \t\r]+$/, ''));
  // A key anywhere, even indented where no PEM reader would find it, is refused: the file is not a CA file.
  const keyLine = lines.findIndex((l) => /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(l));
  if (keyLine >= 0) {
    const label = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----/.exec(lines[keyLine])?.[1] ?? 'PRIVATE KEY';
    return { ok: false, problem: 'key', block: { label, line: keyLine + 1 } };
  }
  const out: string[] = [];
  const others: PemBlock[] = [];
  let certificates = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = BEGIN.exec(lines[i]);
    if (!m) continue;
    const label = m[1];
    const end = lines.indexOf(`-----END ${label}-----`, i + 1);
    if (end < 0) return { ok: false, problem: 'malformed', line: i + 1, why: `the "${label}" block has no END line` };
    if (label !== 'CERTIFICATE') {
      others.push({ label, line: i + 1 });
      i = end;
      continue;
    }
    for (let j = i + 1; j < end; j++) {
      if (!BASE64_LINE.test(lines[j]))
        return { ok: false, problem: 'malformed', line: j + 1, why: 'a CERTIFICATE block holds characters that are not base64' };
    }
    out.push(...lines.slice(i, end + 1));
    certificates++;
    i = end;
  }
  if (!certificates) return { ok: false, problem: 'none' };
  return { ok: true, pem: out.join('\n') + '\n', certificates, others };
}
