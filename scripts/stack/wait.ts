import { delay } from './processes.js';

/** Progress lines for long waits; the CLI prints them, tests may ignore them. */
export type Progress = (message: string) => void;

/** Thrown when a component does not become ready; names the component and its log file. */
export class ComponentStartError extends Error {
  constructor(
    readonly component: string,
    readonly logFile: string,
    detail: string,
  ) {
    super(`${component} did not start: ${detail}. See its log: ${logFile}`);
    this.name = 'ComponentStartError';
  }
}

/** Polls check() until it returns true, printing progress every few seconds, or throws after timeoutMs. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; progress: Progress; logFile: string; stillAlive?: () => boolean },
): Promise<void> {
  const started = Date.now();
  let lastReport = started;
  for (;;) {
    if (await check().catch(() => false)) {
      opts.progress(`${what}: ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      return;
    }
    if (opts.stillAlive && !opts.stillAlive()) {
      throw new ComponentStartError(what, opts.logFile, 'the process exited');
    }
    const now = Date.now();
    if (now - started > opts.timeoutMs) {
      throw new ComponentStartError(what, opts.logFile, `not ready after ${opts.timeoutMs / 1000}s`);
    }
    if (now - lastReport >= 5000) {
      opts.progress(`${what}: waiting (${Math.round((now - started) / 1000)}s)`);
      lastReport = now;
    }
    await delay(250);
  }
}

/** GETs a URL and reports whether it answered with a 2xx status. */
export async function httpOk(url: string, init?: RequestInit): Promise<boolean> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
