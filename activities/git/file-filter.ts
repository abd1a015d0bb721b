import picomatch from 'picomatch';

/** A watched repository's choice of files: picomatch globs over paths relative to its watched folder. */
export interface FileGlobs {
  /** Only files matching one of these are read (default: every file). */
  include?: string[];
  /** Files matching one of these are not read, even when included. */
  exclude?: string[];
}

/**
 * Which files of a commit (paths from the repository root) the watcher reads as pipeline files: YAML
 * files under the watched folder that the repository's include/exclude globs choose. Dotfiles match `*`
 * and `**` too (dot: true): a team's `.argocd/` folder is as much its folder as any other.
 */
export function pipelineFileFilter(path: string, globs: FileGlobs = {}): (file: string) => boolean {
  // The same spellings of the folder that RepoCache.readFiles accepts: "", ".", "./apps/".
  const prefix = path.replace(/^(\.?\/)+|\/+$/g, '').replace(/^\.$/, '');
  const include = globs.include?.length ? picomatch(globs.include, { dot: true }) : () => true;
  const exclude = globs.exclude?.length ? picomatch(globs.exclude, { dot: true }) : () => false;
  return (file) => {
    if (!/\.ya?ml$/.test(file)) return false;
    const relative = prefix && file.startsWith(`${prefix}/`) ? file.slice(prefix.length + 1) : file;
    return include(relative) && !exclude(relative);
  };
}
