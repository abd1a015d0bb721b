/** Undo steps registered as a run creates things, run newest first; one failing does not stop the rest. */
export class Cleanups {
  private readonly steps: { label: string; fn: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  /** Registers an undo step. */
  add(label: string, fn: () => unknown): void {
    this.steps.push({ label, fn });
  }

  /** Runs every step once (a second call waits for the first), reporting failures on stderr. */
  run(log: (m: string) => void): Promise<void> {
    this.running ??= (async () => {
      for (const { label, fn } of this.steps.reverse()) {
        try {
          log(`cleanup: ${label}`);
          await fn();
        } catch (err) {
          log(`cleanup: ${label} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    return this.running;
  }
}
