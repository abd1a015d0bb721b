import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WatchedKind } from './types.js';

/** The file that remembers which kinds a cluster's cache watches, so a restarted worker watches them at once. */
export function kindsFile(stateDir: string, cluster: string): string {
  return join(stateDir, `kinds-${cluster.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

/** The kinds saved in the file; none when it is missing or unreadable (it is only a head start). */
export function readKinds(file: string): WatchedKind[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (k): k is WatchedKind => typeof k?.apiVersion === 'string' && typeof k?.kind === 'string',
    );
  } catch {
    return [];
  }
}

/** Saves the kinds, replacing the file atomically (a crash mid-write leaves the old list). */
export function writeKinds(file: string, kinds: WatchedKind[]): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(kinds, null, 2)}\n`);
  renameSync(tmp, file);
}
