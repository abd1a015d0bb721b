// Checks a Git pack against the worker's Git limits as it streams in, before isomorphic-git buffers
// and inflates it. Every entry declares the inflated size of what it holds in its header; a delta
// declares the size of the object it makes in its first inflated bytes. So a 1 MiB pack holding a
// 200 MiB blob is refused at that blob's header. To find where an entry's zlib stream ends (the pack
// does not say) it is inflated with the output counted and dropped: memory stays constant.
// Format: https://git-scm.com/docs/pack-format
import zlib from 'node:zlib';
import type { GitLimits } from '../trust/config.js';
import { formatBytes, type LimitContext, malformedPack, overLimit } from './git-limits.js';

const OFS_DELTA = 6;
const REF_DELTA = 7;
const TYPES: Record<number, string> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag', 6: 'delta', 7: 'delta' };
/** Entries declaring at most this many bytes are inflated in one synchronous call when they fit in the chunk. */
const SMALL_ENTRY = 64 * 1024;

/** What a pack held, as far as it was scanned. */
export interface PackStats {
  objects: number;
  /** How many of them were deltas (OFS_DELTA or REF_DELTA). */
  deltas: number;
  packBytes: number;
  /** Sum of the inflated sizes of its objects (a delta counts as the object it makes). */
  inflatedBytes: number;
}

interface Entry {
  index: number;
  type: number;
  /** Inflated size the header declares (for a delta: the size of the delta data). */
  declared: number;
  out: number;
  /** The first inflated bytes of a delta: its base size and result size. */
  head: number[];
  result?: number;
  stream?: StreamInflater;
}

/** A streaming inflate whose output goes to a callback; reports how many input bytes each write consumed. */
class StreamInflater {
  private readonly z = zlib.createInflate();
  private readonly ended: Promise<void>;

  constructor(onData: (chunk: Buffer) => void) {
    this.z.on('data', onData);
    this.z.on('error', () => {}); // reaches write()'s callback
    this.ended = new Promise((resolve) => this.z.once('end', resolve));
  }

  /** Input bytes consumed: fewer than given when the zlib stream ended inside `data`. */
  write(data: Buffer): Promise<number> {
    const before = this.z.bytesWritten;
    return new Promise((resolve, reject) =>
      this.z.write(data, (err) => (err ? reject(err) : resolve(this.z.bytesWritten - before))),
    );
  }

  /** Waits until every inflated byte has gone to the callback (only after write() consumed less than given). */
  async finish(): Promise<void> {
    await this.ended;
    this.z.destroy();
  }

  destroy(): void {
    this.z.destroy();
  }
}

/** A varint of 7-bit groups, least significant first (delta headers); undefined while incomplete. */
function deltaSizes(head: number[]): { result: number } | 'invalid' | undefined {
  let i = 0;
  let value = 0;
  for (let n = 0; n < 2; n++) {
    value = 0;
    for (let scale = 1; ; scale *= 128) {
      if (scale > 2 ** 49) return 'invalid';
      const b = head[i++];
      if (b === undefined) return undefined;
      value += (b & 0x7f) * scale;
      if (!(b & 0x80)) break;
    }
  }
  return { result: value };
}

/** An entry header: type, declared size, and for deltas the base offset or id; undefined while incomplete. */
function entryHeader(b: number[]): { type: number; size: number } | 'invalid' | undefined {
  let i = 0;
  let byte = b[i++] as number;
  const type = (byte >> 4) & 7;
  let size = byte & 15;
  for (let scale = 16; byte & 0x80; scale *= 128) {
    if (scale > 2 ** 49) return 'invalid';
    if (i >= b.length) return undefined;
    byte = b[i++] as number;
    size += (byte & 0x7f) * scale;
  }
  if (!TYPES[type]) return 'invalid';
  if (type === OFS_DELTA) {
    for (let n = 0; ; n++) {
      if (n >= 10) return 'invalid';
      if (i >= b.length) return undefined;
      if (!((b[i++] as number) & 0x80)) break;
    }
  }
  if (type === REF_DELTA && b.length < i + 20) return undefined;
  return { type, size };
}

/** Scans one pack, pushed in chunks of any size; push() throws a GitLimitError as soon as a limit is passed. */
export class PackScanner {
  private state: 'signature' | 'header' | 'data' | 'trailer' | 'done' = 'signature';
  private bytes: number[] = [];
  private count = 0;
  private remaining = 0;
  private entry?: Entry;
  private violation?: Error;
  readonly stats: PackStats = { objects: 0, deltas: 0, packBytes: 0, inflatedBytes: 0 };

  constructor(
    private readonly limits: GitLimits,
    private readonly ctx: LimitContext,
  ) {}

  /** Scans the next bytes of the pack. */
  async push(chunk: Uint8Array): Promise<void> {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.stats.packBytes += data.length;
    if (this.stats.packBytes > this.limits.maxPackBytes)
      throw this.over(`the pack passed ${formatBytes(this.limits.maxPackBytes)}`, 'maxPackBytes');
    try {
      while (data.length > 0) data = await this.step(data);
    } catch (err) {
      this.entry?.stream?.destroy();
      throw err;
    }
  }

  /** True once the pack's checksum has been read. */
  get complete(): boolean {
    return this.state === 'done';
  }

  private async step(data: Buffer): Promise<Buffer> {
    switch (this.state) {
      case 'signature':
        return this.fill(data, 12, () => this.signature());
      case 'header': {
        this.bytes.push(data[0] as number);
        const header = entryHeader(this.bytes);
        if (header === 'invalid') throw this.malformed(`entry #${this.stats.objects + 1} has a bad header`);
        if (header) this.start(header.type, header.size);
        return data.subarray(1);
      }
      case 'data': {
        const used = await this.inflate(data);
        if (used === undefined) return data.subarray(data.length);
        this.finish();
        return data.subarray(used);
      }
      case 'trailer':
        return this.fill(data, 20, () => {
          this.state = 'done';
        });
      case 'done':
        throw this.malformed('data after its checksum');
    }
  }

  /** Collects `n` bytes (across chunks) in this.bytes, then calls `then`. */
  private fill(data: Buffer, n: number, then: () => void): Buffer {
    const take = Math.min(n - this.bytes.length, data.length);
    for (let i = 0; i < take; i++) this.bytes.push(data[i] as number);
    if (this.bytes.length === n) {
      then();
      this.bytes = [];
    }
    return data.subarray(take);
  }

  private signature(): void {
    const b = Buffer.from(this.bytes);
    if (b.toString('latin1', 0, 4) !== 'PACK' || ![2, 3].includes(b.readUInt32BE(4)))
      throw this.malformed('no PACK signature');
    this.count = this.remaining = b.readUInt32BE(8);
    // isomorphic-git keeps a few KiB per object while it indexes a pack (~3.5 KiB measured): a pack of
    // millions of empty objects fits in a few MiB but not in memory once indexed.
    if (this.count > this.limits.maxFiles)
      throw this.over(`the pack holds ${this.count.toLocaleString('en')} objects`, 'maxFiles');
    this.state = this.count > 0 ? 'header' : 'trailer';
  }

  private start(type: number, declared: number): void {
    const index = ++this.stats.objects;
    this.bytes = [];
    this.entry = { index, type, declared, out: 0, head: [] };
    this.state = 'data';
    const what = `${TYPES[type]} #${index} of ${this.count} in the pack`;
    if (declared > this.limits.maxObjectBytes)
      throw this.over(`${what} is ${formatBytes(declared)}`, 'maxObjectBytes');
    if (type === OFS_DELTA || type === REF_DELTA) this.stats.deltas++;
    else this.addInflated(declared);
  }

  private addInflated(n: number): void {
    this.stats.inflatedBytes += n;
    if (this.stats.inflatedBytes > this.limits.maxCheckoutBytes)
      throw this.over(
        `the fetched objects inflate to more than ${formatBytes(this.stats.inflatedBytes)}`,
        'maxCheckoutBytes',
      );
  }

  /** Counts inflated output; for a delta, reads the size of the object it makes from its first bytes. */
  private output(chunk: Buffer): void {
    const e = this.entry as Entry;
    e.out += chunk.length;
    if (e.out > e.declared)
      this.violation ??= this.malformed(
        `entry #${e.index} inflates past its declared ${formatBytes(e.declared)}`,
      );
    if (e.type < OFS_DELTA || e.result !== undefined || this.violation) return;
    for (let i = 0; i < chunk.length && e.head.length < 20; i++) e.head.push(chunk[i] as number);
    const sizes = deltaSizes(e.head);
    if (sizes === undefined) return;
    if (sizes === 'invalid') {
      this.violation = this.malformed(`delta #${e.index} has a bad header`);
      return;
    }
    e.result = sizes.result;
    try {
      const what = `delta #${e.index} of ${this.count} in the pack makes an object of ${formatBytes(e.result)}`;
      if (e.result > this.limits.maxObjectBytes) throw this.over(what, 'maxObjectBytes');
      this.addInflated(e.result);
    } catch (err) {
      this.violation = err as Error;
    }
  }

  /** Feeds entry data to the inflater; the bytes it used when the entry ended in `data`, else undefined. */
  private async inflate(data: Buffer): Promise<number | undefined> {
    const e = this.entry as Entry;
    if (!e.stream && e.declared <= SMALL_ENTRY) {
      const used = this.inflateSmall(e, data);
      if (used !== undefined) return used;
    }
    e.stream ??= new StreamInflater((chunk) => this.output(chunk));
    const used = await e.stream.write(data).catch((err: Error) => {
      throw this.malformed(`entry #${e.index}: ${err.message}`);
    });
    this.check();
    if (used === data.length) return undefined;
    await e.stream.finish();
    return used;
  }

  /** One synchronous inflate when the whole entry is in `data` (most entries are small); undefined when it is not. */
  private inflateSmall(e: Entry, data: Buffer): number | undefined {
    let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      inflated = zlib.inflateSync(data, {
        info: true,
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
        maxOutputLength: Math.max(1, e.declared),
      }) as unknown as typeof inflated;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw this.malformed(`entry #${e.index} inflates past its declared ${formatBytes(e.declared)}`);
      throw this.malformed(`entry #${e.index}: ${(err as Error).message}`);
    }
    // All of `data` used: the entry goes on in the next chunk (or ends exactly here): stream it instead.
    if (inflated.engine.bytesWritten >= data.length) return undefined;
    this.output(inflated.buffer);
    this.check();
    return inflated.engine.bytesWritten;
  }

  private finish(): void {
    const e = this.entry as Entry;
    this.check();
    if (e.out !== e.declared)
      throw this.malformed(`entry #${e.index} inflates to ${e.out} bytes, not the declared ${e.declared}`);
    if (e.type >= OFS_DELTA && e.result === undefined) throw this.malformed(`delta #${e.index} is cut short`);
    this.entry = undefined;
    this.state = --this.remaining > 0 ? 'header' : 'trailer';
  }

  private check(): void {
    if (this.violation) throw this.violation;
  }

  private over(what: string, key: keyof GitLimits): Error {
    return overLimit(this.ctx, what, key, this.limits);
  }

  private malformed(what: string): Error {
    return malformedPack(this.ctx, what);
  }
}
