import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root (the folder whose package.json is named "sluice"), found from this file, source or dist. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'sluice') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the sluice checkout (package.json named "sluice")');
    dir = parent;
  }
}
