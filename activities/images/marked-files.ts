// The YAML files an ImageUpdateAutomation may edit: below `update.path` inside a fresh clone, reached
// through real folders only (a symbolic link is never followed, so a committed link cannot point a write
// at the worker's files), never under .git.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { repoPathSegments } from '../steps/clone-path.js';

/** No automation edits more files than this in one repository. */
const MAX_FILES = 10_000;

/** Refused: the path leaves the clone or runs through a symbolic link. */
export class AutomationPathError extends Error {
  override name = 'AutomationPathError';
}

/** The repository-relative paths of the *.yaml / *.yml regular files under `path` (a folder or one file). */
export async function markedFileCandidates(dir: string, path: string): Promise<string[]> {
  let segments: string[];
  try {
    segments = path === '.' || path === './' ? [] : repoPathSegments(path);
  } catch (err) {
    throw new AutomationPathError(`update.path ${JSON.stringify(path)}: ${(err as Error).message}`);
  }
  const root = await realpath(dir);
  let at = root;
  for (const [i, segment] of segments.entries()) {
    at = join(at, segment);
    const stat = await lstat(at).catch(() => undefined);
    if (!stat) return [];
    if (stat.isSymbolicLink())
      throw new AutomationPathError(
        `update.path ${JSON.stringify(path)}: "${segments.slice(0, i + 1).join('/')}" is a symbolic link; only real folders are searched`,
      );
    if (i < segments.length - 1 && !stat.isDirectory()) return [];
  }
  const real = await realpath(at);
  if (real !== root && !real.startsWith(root + sep))
    throw new AutomationPathError(`update.path ${path} leaves the clone`);
  const top = await lstat(at);
  if (top.isFile()) return /\.ya?ml$/i.test(at) ? [segments.join('/')] : [];
  const out: string[] = [];
  const walk = async (abs: string, rel: string[]) => {
    for (const entry of await readdir(abs, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      // Dirent types come from lstat: links are neither files nor folders here, and are skipped.
      if (entry.isDirectory()) await walk(join(abs, entry.name), [...rel, entry.name]);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        out.push([...rel, entry.name].join('/'));
        if (out.length > MAX_FILES)
          throw new AutomationPathError(`more than ${MAX_FILES} YAML files under ${path}`);
      }
    }
  };
  await walk(at, segments);
  return out.sort();
}

/** The absolute path of a candidate inside the clone (candidates were checked by markedFileCandidates). */
export function cloneFile(dir: string, relative: string): string {
  return join(dir, ...relative.split('/'));
}
