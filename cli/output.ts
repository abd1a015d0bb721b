import { Option } from 'commander';
import { stringify } from 'yaml';
import { terminalCode, visibleWidth } from './terminal.js';

/** Output formats every listing command accepts. */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** Validates an -o value. */
export function parseOutputFormat(value: string): OutputFormat {
  if (value === 'table' || value === 'json' || value === 'yaml') return value;
  throw new Error(`unknown output format "${value}": use table, json or yaml`);
}

/** The `-o, --output` option of every read command. */
export function outputOption(): Option {
  return new Option('-o, --output <format>', 'table, json or yaml')
    .choices(['table', 'json', 'yaml'])
    .default('table');
}

/** Prints data as JSON or YAML; tables are printed by each command. */
export function printStructured(data: unknown, format: 'json' | 'yaml'): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data));
}

/** Prints data as JSON/YAML, or calls table() for the human format. */
export function printAs(format: OutputFormat, data: unknown, table: () => void): void {
  if (format === 'table') table();
  else printStructured(data, format);
}

/** Progress lines go to stderr so stdout stays clean for -o json. */
export function progressLine(message: string): void {
  process.stderr.write(`[dev] ${message}\n`);
}

/** True when stdout is a terminal and NO_COLOR is not set (https://no-color.org). */
export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

const codes = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;

/** Wraps text in an ANSI colour when stdout shows colour. */
export function colour(name: keyof typeof codes, text: string): string {
  return useColour() ? `${terminalCode(`[${codes[name]}m`)}${text}${terminalCode('[0m')}` : text;
}

/** Green/red marks only when stdout is a terminal. */
export function mark(ok: boolean): string {
  return ok ? colour('green', 'healthy') : colour('red', 'DOWN');
}

/** Colours a status word by what it means: good green, bad red, in between yellow. */
export function statusColour(word: string): string {
  if (/^(Healthy|Synced|Succeeded|Successful|Initialized|Running|Watching)$/.test(word))
    return colour('green', word);
  if (/^(Degraded|Failed|Error|Missing|OutOfSync|RollingBack|Terminated|TimedOut)$/.test(word))
    return colour('red', word);
  if (/^(Progressing|Paused|Waiting|Promoting|Syncing|Suspended|Initializing|Inconclusive)$/.test(word))
    return colour('yellow', word);
  return word;
}

// Widths as the terminal shows the cells: colour codes take no room, escaped control characters do.
const width = visibleWidth;

/** Formats rows as columns under upper-case headers, two spaces apart; cells may be coloured. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n');
}

/** Prints a table, or a note on stderr when there are no rows. */
export function printTable(headers: string[], rows: string[][], empty: string): void {
  if (rows.length === 0) process.stderr.write(`${empty}\n`);
  else console.log(formatTable(headers, rows));
}

/** Prints "Key:  value" lines, keys aligned; undefined values are left out. */
export function printFields(fields: [string, string | number | undefined][]): void {
  const shown = fields.filter((f): f is [string, string | number] => f[1] !== undefined && f[1] !== '');
  const w = Math.max(...shown.map(([k]) => k.length)) + 1;
  for (const [k, v] of shown) console.log(`${`${k}:`.padEnd(w + 1)} ${v}`);
}

/** A short commit SHA, or "-". */
export const short = (sha: string | undefined): string => (sha ? sha.slice(0, 7) : '-');

/** A time as an ISO string without milliseconds. */
export const isoTime = (ms: number | Date | undefined): string =>
  ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
