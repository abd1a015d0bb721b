// Which tag of an image repository an ImagePolicy selects, as Flux's image-reflector does: the tags are
// first filtered (and optionally rewritten) by `filterTags`, then ordered by semver range, number or
// alphabet, and the latest one wins. Pure, so the rules are tested without a registry.
import semver from 'semver';

/** How an ImagePolicy orders tags: exactly one of the three. */
export type TagOrder =
  | { semver: { range: string } }
  | { numerical: { order?: 'asc' | 'desc' } }
  | { alphabetical: { order?: 'asc' | 'desc' } };

/** Flux's filterTags: tags the regular expression does not match are dropped; `extract` is what is compared. */
export interface TagFilter {
  pattern: string;
  extract?: string;
}

/** OCI tags are at most 128 characters; anything longer is not a tag and never reaches the pattern. */
const MAX_TAG = 128;
/** A pattern from a pipeline file runs on the worker: kept short, so it stays a filter and not a program. */
export const MAX_PATTERN = 256;

/** A policy that cannot be applied (a bad range or pattern): the message names the field. */
export class TagPolicyError extends Error {
  override name = 'TagPolicyError';
}

/** The filter as a RegExp, or a TagPolicyError naming what is wrong with it. */
export function filterRegExp(filter: TagFilter): RegExp {
  if (filter.pattern.length > MAX_PATTERN)
    throw new TagPolicyError(`filterTags.pattern is longer than ${MAX_PATTERN} characters`);
  try {
    return new RegExp(filter.pattern);
  } catch (err) {
    throw new TagPolicyError(`filterTags.pattern is not a regular expression: ${(err as Error).message}`);
  }
}

/** Each candidate tag with the value it is compared by (the tag itself, or the `extract` of the filter). */
export function filterTags(tags: readonly string[], filter?: TagFilter): { tag: string; key: string }[] {
  if (!filter) return tags.filter((t) => t.length <= MAX_TAG).map((tag) => ({ tag, key: tag }));
  const re = filterRegExp(filter);
  const out: { tag: string; key: string }[] = [];
  for (const tag of tags) {
    if (tag.length > MAX_TAG) continue;
    const m = re.exec(tag);
    if (!m) continue;
    // Flux expands $name / ${name} / $1 in `extract` against the match (Go's Regexp.Expand).
    const key = filter.extract ? expand(filter.extract, m) : tag;
    out.push({ tag, key });
  }
  return out;
}

/** Go's Regexp.Expand for `$1`, `$name` and `${name}` (an unknown group expands to nothing). */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_all, braced: string, bare: string) => {
    const ref = braced ?? bare;
    const value = /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
    return value ?? '';
  });
}

/** The tag the policy selects among `tags`, or undefined when none qualifies. */
export function selectTag(tags: readonly string[], order: TagOrder, filter?: TagFilter): string | undefined {
  const candidates = filterTags(tags, filter);
  if ('semver' in order) {
    const range = semver.validRange(order.semver.range, { loose: true });
    if (range === null)
      throw new TagPolicyError(`semver.range ${JSON.stringify(order.semver.range)} is not a semver range`);
    let best: { tag: string; version: semver.SemVer } | undefined;
    for (const c of candidates) {
      const version = semver.parse(c.key, { loose: true });
      if (!version || !semver.satisfies(version, range, { loose: true })) continue;
      // Equal versions (v1.0.0 and 1.0.0): the first listed stays, so the choice does not flip between polls.
      if (!best || semver.gt(version, best.version)) best = { tag: c.tag, version };
    }
    return best?.tag;
  }
  if ('numerical' in order) {
    const desc = order.numerical.order === 'desc';
    let best: { tag: string; n: number } | undefined;
    for (const c of candidates) {
      if (!/^[-+]?\d+(\.\d+)?$/.test(c.key)) continue;
      const n = Number(c.key);
      if (!best || (desc ? n < best.n : n > best.n)) best = { tag: c.tag, n };
    }
    return best?.tag;
  }
  const desc = order.alphabetical.order === 'desc';
  let best: { tag: string; key: string } | undefined;
  for (const c of candidates) {
    if (!best || (desc ? c.key < best.key : c.key > best.key)) best = c;
  }
  return best?.tag;
}
