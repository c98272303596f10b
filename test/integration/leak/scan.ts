/**
 * The leak scanner of the integration stage: searches texts and folders for the test secrets in every
 * form a leak could take (as is, JSON-escaped, URL-encoded, UTF-16, and base64 at each of the three
 * byte alignments, so the base64 of any document holding the secret is found too: a pushed cloud.conf,
 * clouds.yaml or kubeconfig). A hit names the secret's id, the form and the location, never the value.
 * Pure Node (no vscode): used by the runner (run.ts) and unit-tested in test/unit/harness/leakScan.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Secret {
  /** Where the secret comes from, e.g. `credentials.appCredSecret` (printed instead of the value). */
  id: string;
  value: string;
}

export interface Needle {
  id: string;
  form: string;
  bytes: Buffer;
}

export interface Hit {
  id: string;
  form: string;
  where: string;
}

/** Shorter values cannot be searched without false hits (8 base64 characters = 48 bits). */
export const MIN_SECRET_LENGTH = 8;

/**
 * The base64 text every encoding of a document containing `value` contains, for each alignment of the
 * value in the 3-byte groups: the groups made only of the value's bytes. Returns [] when the value is
 * too short to fill two whole groups at some alignment (then only the other forms are searched).
 */
export function base64Needles(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: string[] = [];
  for (const skip of [0, 1, 2]) {
    const groups = Math.floor((bytes.length - skip) / 3);
    if (groups < 2) continue;
    out.push(bytes.subarray(skip, skip + groups * 3).toString('base64'));
  }
  return out.length === 3 ? out : [];
}

/** Every form of every secret, deduplicated. Throws for a secret too short to search for. */
export function needles(secrets: readonly Secret[]): Needle[] {
  const out: Needle[] = [];
  const seen = new Set<string>();
  const add = (id: string, form: string, bytes: Buffer) => {
    const key = `${id}\0${bytes.toString('hex')}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ id, form, bytes });
  };
  for (const { id, value } of secrets) {
    if (value.length < MIN_SECRET_LENGTH) throw new Error(`leak scan: secret ${id} is shorter than ${MIN_SECRET_LENGTH} characters`);
    add(id, 'plain', Buffer.from(value, 'utf8'));
    add(id, 'json-escaped', Buffer.from(JSON.stringify(value).slice(1, -1), 'utf8'));
    add(id, 'url-encoded', Buffer.from(encodeURIComponent(value), 'utf8'));
    add(id, 'utf-16', Buffer.from(value, 'utf16le'));
    base64Needles(value).forEach((b, i) => add(id, `base64/${i}`, Buffer.from(b, 'utf8')));
  }
  return out;
}

/** The hits of `needles` in one text or file content; `where` names it in each hit. */
export function scanContent(where: string, content: string | Buffer, ns: readonly Needle[]): Hit[] {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const hits: Hit[] = [];
  const found = new Set<string>();
  for (const n of ns) {
    if (found.has(n.id)) continue; // one hit per secret and place is enough
    const at = buf.indexOf(n.bytes);
    if (at < 0) continue;
    found.add(n.id);
    hits.push({ id: n.id, form: n.form, where: `${where} (byte ${at})` });
  }
  return hits;
}

export interface TreeScan {
  files: number;
  bytes: number;
  hits: Hit[];
}

/**
 * Scans every regular file under `root` (symlinks not followed). `allow(rel)` exempts files that hold
 * credentials by design (the inputs the tests wrote, a kubeconfig a command was asked to write).
 */
export function scanTree(label: string, root: string, ns: readonly Needle[], allow: (rel: string) => boolean = () => false): TreeScan {
  const result: TreeScan = { files: 0, bytes: 0, hits: [] };
  if (!fs.existsSync(root)) return result;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) {
        const rel = path.relative(root, full);
        if (allow(rel)) continue;
        const content = fs.readFileSync(full);
        result.files++;
        result.bytes += content.length;
        result.hits.push(...scanContent(`${label}/${rel}`, content, ns));
      }
    }
  };
  walk(root);
  return result;
}

/** One line per hit: the secret's id, the form found and where; never the value. */
export const formatHit = (h: Hit) => `LEAK: secret ${h.id} (${h.form}) in ${h.where}`;
