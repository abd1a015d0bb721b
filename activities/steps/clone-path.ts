// Where a step may write inside a fresh clone: a repository-relative path is checked as text (relative,
// no `..`, no backslash or control characters, not under .git) and then on disk (every component a
// real folder, never a symbolic link; the file a regular file under the clone's real path), so neither
// `../../x.yaml` nor a committed symlink can point a write at the worker's own files.
import { lstat, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { stepFailed, stepInputError } from './errors.js';

/** The path's folders and file name, or a StepInputError naming the file and what is wrong with it. */
export function repoPathSegments(file: string): string[] {
  const refuse = (why: string) => stepInputError(`file ${JSON.stringify(file)} is refused: ${why}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and other control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(file)) throw refuse('it contains a control character');
  if (file.includes('\\')) throw refuse('it contains a backslash; separate folders with /');
  if (file.startsWith('/'))
    throw refuse('it is absolute; give the path relative to the repository root, e.g. deploy/app.yaml');
  const segments = file.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw refuse('".." would leave the repository');
  if (segments.some((s) => s.toLowerCase() === '.git')) throw refuse('files under .git are never written');
  if (segments.length === 0) throw refuse('it names no file');
  return segments;
}

/**
 * The real path of `file` inside the clone `dir` and its normalised repository path, or undefined when
 * the clone has no such file. A symbolic link anywhere on the way, or anything but a regular file at the
 * end, is a StepFailed naming the file and the link.
 */
export async function fileInClone(
  dir: string,
  file: string,
): Promise<{ path: string; relative: string } | undefined> {
  const segments = repoPathSegments(file);
  const root = await realpath(dir);
  let at = root;
  for (const [i, segment] of segments.entries()) {
    at = join(at, segment);
    const shown = segments.slice(0, i + 1).join('/');
    const stat = await lstat(at).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
      throw err;
    });
    if (!stat) return undefined;
    const last = i === segments.length - 1;
    if (stat.isSymbolicLink())
      throw stepFailed(
        `file ${JSON.stringify(file)} is refused: ${last ? 'it' : `"${shown}"`} is a symbolic link in the repository; git-update writes only regular files reached through real folders`,
      );
    if (!last && !stat.isDirectory()) return undefined;
    if (last && !stat.isFile())
      throw stepFailed(`file ${JSON.stringify(file)} is refused: it is not a regular file`);
  }
  // No component is a link, so this only re-checks what the walk established.
  const real = await realpath(at);
  if (!real.startsWith(root + sep))
    throw stepFailed(`file ${JSON.stringify(file)} is refused: it resolves outside the clone`);
  return { path: real, relative: segments.join('/') };
}
