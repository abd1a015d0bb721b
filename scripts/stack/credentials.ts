import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a client of the registry or chart repository presents: basic-auth user and password, or a bearer token. */
export interface Credentials {
  username: string;
  password: string;
  /** Accepted by the chart repository as `Authorization: Bearer <token>` (the registry takes basic auth only). */
  token: string;
}

/** The user every stack server knows. */
export const stackUser = 'sluice';

/** Creates (once) random credentials in a 0600 JSON file and returns them; later calls return the same ones. */
export function ensureCredentials(file: string): Credentials {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const creds: Credentials = {
      username: stackUser,
      password: randomBytes(18).toString('base64url'),
      token: randomBytes(24).toString('base64url'),
    };
    writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  // A file copied in by hand may be readable by others; the password must not be.
  chmodSync(file, 0o600);
  return readCredentials(file);
}

/** Reads a credentials file written by ensureCredentials. */
export function readCredentials(file: string): Credentials {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Credentials>;
  if (!parsed.username || !parsed.password || !parsed.token)
    throw new Error(`${file}: expected {username, password, token}`);
  return { username: parsed.username, password: parsed.password, token: parsed.token };
}
