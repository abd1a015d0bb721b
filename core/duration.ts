// Pure: the duration strings pipeline files use ("30s", "1m", "1h30m"), read by the loader, activities and workflows.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "1h30m", "45s", "250ms" to milliseconds; throws on anything else. */
export function durationMs(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0)
    throw new Error(`"${text}" is not a duration like 30s, 1m or 1h30m`);
  return total;
}
