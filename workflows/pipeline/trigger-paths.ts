// Which commits a git trigger with `paths` starts a run for.

/** True when a changed path is under one of the trigger's paths (a prefix, or a glob with * and **). */
export function pathsMatch(patterns: string[] | undefined, changed: string[] | undefined): boolean {
  if (!patterns || patterns.length === 0 || changed === undefined) return true;
  const toRegex = (p: string) =>
    new RegExp(
      `^${p
        .replace(/^\.?\//, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .split('**')
        .map((part) => part.replace(/\*/g, '[^/]*'))
        .join('.*')}`,
    );
  return changed.some((file) =>
    patterns.some((p) =>
      p.includes('*') ? toRegex(p).test(file) : file.startsWith(p.replace(/^\.?\//, '')),
    ),
  );
}
