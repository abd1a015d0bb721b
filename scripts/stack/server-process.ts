// What the stack's own small servers (git, chart repository, token service) share: one JSON log line per event
// on stdout (the stack's log file), and a constant-time comparison for credentials.
import { timingSafeEqual } from 'node:crypto';

/** Writes one JSON log line. */
export function log(level: string, msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

/** Whether two secrets are equal, in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
