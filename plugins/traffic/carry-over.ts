type Entry = Record<string, unknown>;

/**
 * Keeps the fields others added to the entries of a list Sluice owns whole (an atomic list such as a
 * VirtualService's `http` or an HTTPRoute's `rules`, where apply cannot merge): each desired entry gets the
 * unmanaged fields of the existing entry at the same position counted from the end (the default route is
 * always last, the A/B route before it). Managed fields always come from the desired entry.
 */
export function carryOver<T extends Entry>(existing: unknown, desired: T[], managed: readonly string[]): T[] {
  const old = Array.isArray(existing) ? (existing as Entry[]) : [];
  return desired.map((entry, i) => {
    const before = old[old.length - desired.length + i];
    if (!before || typeof before !== 'object') return entry;
    const kept = Object.fromEntries(Object.entries(before).filter(([k]) => !managed.includes(k)));
    return { ...kept, ...entry };
  });
}
