import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Where the audit log stood at one moment: the file (by inode, which survives rotation) and its size. */
export interface AuditMark {
  file: string;
  ino: number;
  offset: number;
}

/** Marks the end of the audit log now; what is appended later is what `readAuditSince` returns. */
export function markAuditLog(file: string): AuditMark {
  if (!existsSync(file)) return { file, ino: 0, offset: 0 };
  const st = statSync(file);
  return { file, ino: st.ino, offset: st.size };
}

/**
 * The log files, oldest first: the rotated ones (`<name>-<timestamp>.log`, kube-apiserver's lumberjack
 * naming) and then the current one.
 */
function logFiles(file: string): string[] {
  const dir = dirname(file);
  const stem = basename(file).replace(/\.log$/, '');
  const rotated = readdirSync(dir)
    .filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.log'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  return existsSync(file) ? [...rotated, file] : rotated;
}

function readFrom(path: string, offset: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    let read = 0;
    while (read < buf.length) read += readSync(fd, buf, read, buf.length - read, offset + read) || buf.length;
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The complete lines written since the mark, across a rotation: the marked file (found by inode, under its
 * rotated name if need be) from the mark on, then every newer file whole. `complete` is false when the marked
 * file was rotated away and deleted (more than maxbackup rotations since): the lines before are lost.
 */
export function readAuditSince(mark: AuditMark): { lines: string[]; complete: boolean } {
  const files = logFiles(mark.file);
  // An inode is reused once its file is deleted: a file shorter than the mark is not the marked one.
  const start =
    mark.ino === 0
      ? 0
      : files.findIndex((f) => {
          const st = statSync(f);
          return st.ino === mark.ino && st.size >= mark.offset;
        });
  const texts =
    start < 0
      ? files.map((f) => readFrom(f, 0))
      : files.slice(start).map((f, i) => readFrom(f, i === 0 ? mark.offset : 0));
  const lines = texts.flatMap((t) => t.split('\n')).filter((l) => l.startsWith('{'));
  return { lines, complete: start >= 0 };
}
