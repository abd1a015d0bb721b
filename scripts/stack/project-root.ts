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

/** Sluice's package version, from the package.json of the checkout or image (0.0.0 when there is none). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
