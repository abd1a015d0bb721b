/** Escapes a literal for use inside a regular expression (RE2 and PCRE alike). */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
