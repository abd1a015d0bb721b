/**
 * Collects items per key and hands them over once per burst: `delayMs` after the last item (trailing), but no later
 * than `maxWaitMs` after the first, so a key that changes without pause is still reported.
 */
export class Debouncer<T> {
  private readonly pending = new Map<string, { items: T[]; first: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly fire: (key: string, items: T[]) => void,
    private readonly delayMs = 500,
    private readonly maxWaitMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds an item to the key's burst and (re)arms its timer. */
  add(key: string, item: T): void {
    const entry = this.pending.get(key);
    const first = entry?.first ?? this.now();
    if (entry) clearTimeout(entry.timer);
    const items = entry?.items ?? [];
    items.push(item);
    const wait = Math.max(0, Math.min(this.delayMs, first + this.maxWaitMs - this.now()));
    const timer = setTimeout(() => this.flush(key), wait);
    this.pending.set(key, { items, first, timer });
  }

  /** Hands over every pending burst now (at shutdown). */
  flushAll(): void {
    for (const key of [...this.pending.keys()]) this.flush(key);
  }

  /** Drops every pending burst and its timer. */
  cancel(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private flush(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
    this.fire(key, entry.items);
  }
}
