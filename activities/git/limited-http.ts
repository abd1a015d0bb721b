// isomorphic-git's Node HTTP client with the Git limits applied to what the server sends, as it
// streams: every response body counts against maxPackBytes, and an upload-pack answer (pkt-lines,
// side-band-64k, the pack on band 1) goes through a PackScanner. A limit passed ends the response
// with a GitLimitError before isomorphic-git has buffered the pack or inflated anything.
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import type { GitLimits } from '../trust/config.js';
import { formatBytes, type LimitContext, malformedPack, overLimit } from './git-limits.js';
import { withHeadAdvertised } from './head-advertisement.js';
import { PackScanner } from './pack-scanner.js';

/** Splits an upload-pack response into pkt-lines and passes band 1 (the pack) to a PackScanner. */
export class UploadPackScanner {
  private length = '';
  private remaining = 0;
  private band?: number;
  readonly pack: PackScanner;

  constructor(
    limits: GitLimits,
    private readonly ctx: LimitContext,
  ) {
    this.pack = new PackScanner(limits, ctx);
  }

  /** Scans the next bytes of the response. */
  async push(chunk: Uint8Array): Promise<void> {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (data.length > 0) {
      if (this.remaining === 0) {
        const take = 4 - this.length.length;
        this.length += data.toString('latin1', 0, take);
        data = data.subarray(take);
        if (this.length.length < 4) return;
        if (!/^[0-9a-fA-F]{4}$/.test(this.length)) throw malformedPack(this.ctx, 'a pkt-line has no length');
        const n = Number.parseInt(this.length, 16);
        this.length = '';
        if (n === 3) throw malformedPack(this.ctx, 'a pkt-line has length 3');
        this.remaining = n < 4 ? 0 : n - 4; // 0000 flush, 0001 delimiter, 0002 response end
        this.band = undefined;
        continue;
      }
      // Like isomorphic-git's demux: a line whose first byte is 1, 2 or 3 is side-band; others (NAK, ACK) are not.
      if (this.band === undefined) {
        this.band = data[0] as number;
        data = data.subarray(1);
        this.remaining--;
        continue;
      }
      const take = data.subarray(0, this.remaining);
      data = data.subarray(take.length);
      this.remaining -= take.length;
      if (this.band === 1) await this.pack.push(take);
    }
  }
}

/** One chunk as a response body. */
async function* once(chunk: Uint8Array): AsyncIterableIterator<Uint8Array> {
  yield chunk;
}

/** Passes each chunk of `body` to `scan` before handing it on; a scan that throws ends the body. */
async function* scanned(
  body: AsyncIterableIterator<Uint8Array>,
  scan: (chunk: Uint8Array) => Promise<void>,
): AsyncIterableIterator<Uint8Array> {
  for await (const chunk of body) {
    await scan(chunk);
    yield chunk;
  }
}

/**
 * An HTTP client for isomorphic-git that enforces the Git limits on responses. `failure()` returns the
 * limit error once one was thrown, so callers report it even where isomorphic-git wraps the error.
 */
export function limitedHttp(
  limits: GitLimits,
  ctx: LimitContext,
  opts: { adviseHead?: boolean } = {},
): { http: HttpClient; failure: () => Error | undefined } {
  let failure: Error | undefined;
  const fail = (err: unknown): never => {
    failure ??= err as Error;
    throw err;
  };
  const request = async (req: GitHttpRequest): Promise<GitHttpResponse> => {
    const res = await http.request(req);
    if (!res.body) return res;
    const pack =
      req.method === 'POST' && req.url.endsWith('/git-upload-pack')
        ? new UploadPackScanner(limits, ctx)
        : undefined;
    let bytes = 0;
    const scan = async (chunk: Uint8Array) => {
      bytes += chunk.byteLength;
      if (bytes > limits.maxPackBytes)
        fail(
          overLimit(
            ctx,
            `the server's answer passed ${formatBytes(limits.maxPackBytes)}`,
            'maxPackBytes',
            limits,
          ),
        );
      await pack?.push(chunk).catch(fail);
    };
    const body = scanned(res.body, scan);
    // A fetch's ref advertisement is small: read it whole to add a HEAD isomorphic-git insists on.
    if (opts.adviseHead && req.method === 'GET' && req.url.includes('/info/refs?service=git-upload-pack')) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of body) chunks.push(chunk);
      return { ...res, body: once(withHeadAdvertised(Buffer.concat(chunks))) };
    }
    return { ...res, body };
  };
  return { http: { request }, failure: () => failure };
}
