/** An error the CLI reports as one line plus a hint, with a chosen exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes: 0 ok, 1 failure, 2 usage. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** Prints an error as `sluice: message` and its hint, and returns the exit code to use. */
export function reportError(err: unknown): number {
  if (err instanceof CliError) {
    console.error(`sluice: ${err.message}`);
    if (err.hint) console.error(`hint: ${err.hint}`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(`sluice: ${e.message}`);
  if (process.env.SLUICE_DEBUG) console.error(e.stack);
  else console.error('hint: set SLUICE_DEBUG=1 for the stack trace');
  return ExitCode.failure;
}

/** Joins an error's message with its causes' (Temporal wraps activity failures two or three deep). */
export function causeChain(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e instanceof Error && parts.length < 6) {
    if (e.message) parts.push(e.message);
    e = e.cause;
  }
  return parts.join(': ');
}
