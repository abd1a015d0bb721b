// Output that follows something as it changes: on a terminal one block redrawn in place, otherwise a
// timestamped line for each line that changed (a log a CI job or `| tee` keeps readable).
import { terminalCode } from './terminal.js';

/** A block redrawn in place on a terminal, or its changed lines printed once each elsewhere. */
export class LiveOutput {
  private drawn = 0;
  private readonly printed = new Map<string, string>();

  constructor(
    private readonly tty: boolean,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {}

  /** Shows the block (tty) or the lines whose text changed since last time (keyed, so a row keeps its identity). */
  show(block: string[], lines: [key: string, text: string][]): void {
    if (this.tty) {
      // Move up over the previous block and clear it, then draw the new one.
      if (this.drawn) this.out.write(terminalCode(`[${this.drawn}A`) + terminalCode('[J'));
      this.out.write(`${block.join('\n')}\n`);
      this.drawn = block.length;
      return;
    }
    for (const [key, text] of lines) {
      if (this.printed.get(key) === text) continue;
      this.printed.set(key, text);
      this.out.write(`${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}  ${text}\n`);
    }
  }
}
