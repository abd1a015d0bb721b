// Argo CD's multi-source value files: "$<ref>/<path>" names a file of the source whose `ref` is <ref>,
// relative to that source's repository root. Pure, so the loader rejects bad ones at load time and the
// renderer resolves them the same way.

/** A value file that names another source's file. */
export interface ValueFileRef {
  ref: string;
  /** The path inside that source's checkout, normalised ("a/./b" → "a/b"). */
  path: string;
}

/** Why a "$ref/path" value file cannot be used, or undefined when it can. */
export class ValueFileRefError extends Error {}

/**
 * The ref and path of a "$<ref>/<path>" value file, undefined for an ordinary one; throws ValueFileRefError
 * for a path that is absolute or leaves the source's checkout ("$values/../../etc/passwd").
 */
export function parseValueFileRef(file: string): ValueFileRef | undefined {
  if (!file.startsWith('$')) return undefined;
  const slash = file.indexOf('/');
  const ref = slash < 0 ? file.slice(1) : file.slice(1, slash);
  const rest = slash < 0 ? '' : file.slice(slash + 1);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(ref))
    throw new ValueFileRefError(`"${file}" must start with $<ref>/ naming a source's ref`);
  const parts: string[] = [];
  for (const seg of rest.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') throw new ValueFileRefError(`"${file}" leaves the checkout of source $${ref} ("..")`);
    parts.push(seg);
  }
  if (parts.length === 0) throw new ValueFileRefError(`"${file}" names no file of source $${ref}`);
  return { ref, path: parts.join('/') };
}
