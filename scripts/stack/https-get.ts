import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';

/** GETs an https URL trusting the given CA file (or, for self-signed component endpoints, any certificate) and reports a 2xx. */
export function httpsOk(url: string, caFile?: string): Promise<boolean> {
  if (caFile && !existsSync(caFile)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = request(
      url,
      caFile ? { ca: readFileSync(caFile), timeout: 2000 } : { rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        res.resume();
        resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** GETs an https URL trusting only the given CA file, with optional headers; the status code, or 0 when unreachable. */
export function httpsStatus(
  url: string,
  caFile: string,
  headers: Record<string, string> = {},
): Promise<number> {
  if (!existsSync(caFile)) return Promise.resolve(0);
  return new Promise((resolve) => {
    const req = request(url, { ca: readFileSync(caFile), headers, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** The Authorization header value for HTTP basic auth. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
