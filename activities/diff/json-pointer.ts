import { IgnoreRuleError } from './errors.js';

/** Splits an RFC 6901 JSON pointer into its unescaped reference tokens (`~1` is `/`, `~0` is `~`). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new IgnoreRuleError(`JSON pointer "${pointer}" must be empty or start with "/"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) {
        throw new IgnoreRuleError(`JSON pointer "${pointer}": "~" must be followed by 0 or 1`);
      }
      // Order matters (RFC 6901 §4): "~01" is the literal "~1", not "/".
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/**
 * Removes the value a pointer names from `doc` in place, if it is there, and then any object or
 * array the removal left empty (so `{}` on one side does not differ from nothing on the other).
 * The whole-document pointer `""` is rejected: ignoring everything is never meant.
 */
export function removeJsonPointer(doc: unknown, pointer: string): void {
  const tokens = parseJsonPointer(pointer);
  if (tokens.length === 0) throw new IgnoreRuleError('JSON pointer "" would ignore the whole object');
  removeAt(doc, tokens);
}

/** Removes tokens' target under node; true when that left node empty. */
function removeAt(node: unknown, tokens: string[]): boolean {
  const [token, ...rest] = tokens as [string, ...string[]];
  if (Array.isArray(node)) {
    // RFC 6901 array indices: "0" or digits without a leading zero; "-" (past the end) names nothing.
    if (!/^(0|[1-9][0-9]*)$/.test(token)) return false;
    const i = Number(token);
    if (i >= node.length) return false;
    if (rest.length === 0 || removeAt(node[i], rest)) node.splice(i, 1);
    else return false;
    return node.length === 0;
  }
  if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (!Object.hasOwn(obj, token)) return false;
    if (rest.length === 0 || removeAt(obj[token], rest)) delete obj[token];
    else return false;
    return Object.keys(obj).length === 0;
  }
  return false;
}
