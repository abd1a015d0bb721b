import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../../../scripts/stack/config.js';
import { stackPaths } from '../../../../scripts/stack/paths.js';
import { isRunning, recordedPid, startDetached, stopRecorded } from '../../../../scripts/stack/processes.js';

describe('managed processes', () => {
  const paths = stackPaths(loadStackConfig({ SLUICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'sluice-proc-')) }));

  it('records the pid of a started process, sees it running, and stops only it', async () => {
    const pid = startDetached(paths, { name: 'sleeper', command: '/bin/sleep', args: ['60'] });
    expect(recordedPid(paths, 'sleeper')).toBe(pid);
    expect(isRunning(paths, 'sleeper', '/bin/sleep')).toBe(true);
    // A live pid running some other program is not ours (pid reuse).
    expect(isRunning(paths, 'sleeper', '/usr/bin/temporal')).toBe(false);
    expect(await stopRecorded(paths, 'sleeper')).toBe(true);
    expect(isRunning(paths, 'sleeper', '/bin/sleep')).toBe(false);
    expect(recordedPid(paths, 'sleeper')).toBeUndefined();
    expect(await stopRecorded(paths, 'sleeper')).toBe(false);
  });
});
