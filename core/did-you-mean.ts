import leven from 'leven';

/** The candidate closest to word by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = leven(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // One edit for short words, two (a swapped pair) from four letters, three for long names: catches
  // typos without suggesting unrelated names.
  const allowed = word.length <= 3 ? 1 : word.length <= 8 ? 2 : 3;
  return bestDistance <= allowed ? best : undefined;
}

/** `did you mean "x"?` for the closest candidate, or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean ${JSON.stringify(c)}?`;
}
