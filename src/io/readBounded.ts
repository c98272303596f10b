/**
 * Reading a file a user named (clouds.yaml, secure.yaml, clouds-public.yaml, a `cacert`, a stack
 * source) without trusting what the path is: the file is opened with O_NONBLOCK (opening a named
 * pipe for reading never waits for a writer), its type is checked with fstat on that descriptor (no
 * race between a check and the open), only regular files are read, and the read itself is bounded —
 * the size fstat reports is 0 for devices and /proc files and may change while reading, so the limit
 * is enforced on the bytes actually read. Synchronous, for the CLI and the core's `readFile` callback.
 */
import * as fs from 'node:fs';

export type BoundedRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | {
      readonly ok: false;
      /** `size`: a regular file over the limit; `type`: not a regular file; `missing`/`error`: cannot be opened or read. */
      readonly reason: 'size' | 'type' | 'missing' | 'error';
      /** Why, as the end of "cannot read FILE: …" (never the content). */
      readonly message: string;
      /** For `size`: how many bytes there are at least. */
      readonly size?: number;
    };

const CHUNK = 64 * 1024;

/** Human size for messages: bytes, KiB or MiB. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 ? 1 : 0)} KiB`;
  return `${bytes} bytes`;
}

function typeOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function openError(file: string, e: NodeJS.ErrnoException): BoundedRead {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return { ok: false, reason: 'missing', message: 'no such file' };
  if (e.code === 'ENXIO' || e.code === 'EOPNOTSUPP') {
    // open(2) refuses a Unix socket with ENXIO; say what it is.
    try {
      return { ok: false, reason: 'type', message: `it is ${typeOf(fs.statSync(file))}, not a regular file` };
    } catch {
      // fall through to the errno text
    }
  }
  if (e.code === 'EACCES' || e.code === 'EPERM') return { ok: false, reason: 'error', message: 'permission denied' };
  if (e.code === 'ELOOP') return { ok: false, reason: 'error', message: 'too many symbolic links' };
  return { ok: false, reason: 'error', message: e.code ?? 'it cannot be opened' };
}

/** Reads at most `maxBytes` of a regular file; anything else is a reason, at once. */
export function readBounded(file: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
  } catch (e) {
    return openError(file, e as NodeJS.ErrnoException);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'type', message: `it is ${typeOf(st)}, not a regular file` };
    const tooLarge = (size: number): BoundedRead => ({
      ok: false,
      reason: 'size',
      size,
      message: `it is larger than ${sizeText(maxBytes)} (${sizeText(size)})`,
    });
    if (st.size > maxBytes) return tooLarge(st.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) return tooLarge(total);
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return {
      ok: false,
      reason: 'error',
      message: err.code === 'EISDIR' ? 'it is a directory, not a regular file' : (err.code ?? 'read failed'),
    };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The core's `readFile` callback (ConvertOptions.readFile, for a `cacert`): the file's text, or why it
 * cannot be read. Decoded leniently: a PEM is checked block by block, and what is not base64 in a
 * CERTIFICATE block is refused there.
 */
export function readLocalText(file: string, maxBytes: number): string | { readonly unreadable: string } {
  const r = readBounded(file, maxBytes);
  return r.ok ? r.bytes.toString('utf8') : { unreadable: r.message };
}
