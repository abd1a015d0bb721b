import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under a fixture folder, keyed by its path under `prefix` (to commit into a served repo). */
export function fixtureFiles(dir: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[`${prefix}/${relative(dir, full)}`] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}
