import { stringify } from 'yaml';

/** Output formats every listing command accepts. */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** Validates an -o value. */
export function parseOutputFormat(value: string): OutputFormat {
  if (value === 'table' || value === 'json' || value === 'yaml') return value;
  throw new Error(`unknown output format "${value}": use table, json or yaml`);
}

/** Prints data as JSON or YAML; tables are printed by each command. */
export function printStructured(data: unknown, format: 'json' | 'yaml'): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data));
}

/** Progress lines go to stderr so stdout stays clean for -o json. */
export function progressLine(message: string): void {
  process.stderr.write(`[dev] ${message}\n`);
}

/** Green/red marks only when stdout is a terminal. */
export function mark(ok: boolean): string {
  const text = ok ? 'healthy' : 'DOWN';
  if (!process.stdout.isTTY) return text;
  return ok ? `\x1b[32m${text}\x1b[0m` : `\x1b[31m${text}\x1b[0m`;
}
