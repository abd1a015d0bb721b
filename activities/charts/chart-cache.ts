// Charts on the worker's disk, keyed by digest: a (repository, chart, version) maps to the digest of its
// package once fetched, and the unpacked chart lives under that digest, so a second render of the same
// version does no network (chart versions are immutable in a repository, as Helm assumes).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Unpacked charts by digest, and the digest of each (repository, chart, version) fetched before. */
export class ChartCache {
  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'versions'), { recursive: true });
    mkdirSync(join(dir, 'digests'), { recursive: true });
  }

  private versionFile(repoURL: string, chart: string, version: string): string {
    return join(this.dir, 'versions', sha256(JSON.stringify([repoURL, chart, version])));
  }

  /** The folder holding the unpacked chart (folder `<chart>` inside) of a version fetched before, if any. */
  lookup(repoURL: string, chart: string, version: string): string | undefined {
    const file = this.versionFile(repoURL, chart, version);
    if (!existsSync(file)) return undefined;
    const dir = join(this.dir, 'digests', readFileSync(file, 'utf8').trim());
    return existsSync(join(dir, '.complete')) ? dir : undefined;
  }

  /**
   * Unpacks a downloaded package under its digest (checked against `digest` when the server named one) and
   * remembers it for the version; answers the folder.
   */
  async store(
    key: { repoURL: string; chart: string; version: string },
    data: Uint8Array,
    digest?: string,
  ): Promise<string> {
    const actual = sha256(data);
    const expected = digest?.replace(/^sha256:/, '');
    if (expected && expected !== actual)
      throw new Error(
        `${key.repoURL}: ${key.chart} ${key.version} downloaded with digest sha256:${actual}, the server listed ${digest}`,
      );
    const dir = join(this.dir, 'digests', actual);
    if (!existsSync(join(dir, '.complete'))) {
      const tmp = `${dir}.${process.pid}.tmp`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      writeFileSync(join(tmp, '.chart.tgz'), data);
      // GNU tar drops leading '/' and '..' from member names; symlinks leaving the chart are refused at render.
      await run('tar', [
        '-xzf',
        join(tmp, '.chart.tgz'),
        '-C',
        tmp,
        '--no-same-owner',
        '--no-same-permissions',
      ]);
      rmSync(join(tmp, '.chart.tgz'));
      writeFileSync(join(tmp, '.complete'), '');
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    }
    const versionFile = this.versionFile(key.repoURL, key.chart, key.version);
    writeFileSync(`${versionFile}.tmp`, actual);
    renameSync(`${versionFile}.tmp`, versionFile);
    return dir;
  }
}
