// Runs the `sluice` command as a user would: `node bin/sluice.js …` from dist/ (run `npm run build` first).
import { spawn } from 'node:child_process';
import { waitFor } from '../../helpers/wait-for.js';

/** What one `sluice …` process did. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/sluice.js …` as a user would (from dist/: build first), with stdin when given. */
export function sluice(
  args: string[],
  opts: { input?: string; env?: Record<string, string>; onStdout?: (text: string) => void } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/sluice.js', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      opts.onStdout?.(c.toString());
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command that prints JSON and must succeed; answers the parsed output. */
export async function json<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await sluice([...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Polls a JSON command until ok holds for its output. */
export async function until<T = Record<string, unknown>>(
  what: string,
  args: string[],
  ok: (v: T) => boolean,
  timeoutMs = 90_000,
): Promise<T> {
  let last: T | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        last = await json<T>(args);
        return ok(last) && last;
      },
      timeoutMs,
      500,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`);
  }
}
