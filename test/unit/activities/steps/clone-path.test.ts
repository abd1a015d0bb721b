import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileInClone, repoPathSegments } from '../../../../activities/steps/clone-path.js';

/** The failure's type and message, for expect(...).toMatchObject. */
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return { type: (err as { type?: string }).type, message: (err as Error).message };
  }
  throw new Error('did not throw');
};

describe('git-update paths as text', () => {
  it('accepts relative paths and normalises . and empty segments', () => {
    expect(repoPathSegments('production/deployment.yaml')).toEqual(['production', 'deployment.yaml']);
    expect(repoPathSegments('./a//b/./c.yaml')).toEqual(['a', 'b', 'c.yaml']);
  });

  it.each([
    ['../../../../etc/sluice/worker.yaml', '".." would leave the repository'],
    ['deploy/../../x.yaml', '".." would leave the repository'],
    ['/etc/passwd', 'it is absolute'],
    ['//x.yaml', 'it is absolute'],
    ['a\\..\\..\\x.yaml', 'backslash'],
    ['a.yaml\u0000.png', 'control character'],
    ['a\u001b[2J.yaml', 'control character'],
    ['.git/config', 'under .git'],
    ['sub/.GIT/hooks/x', 'under .git'],
    ['./', 'names no file'],
  ])('refuses %j as a StepInputError naming the file', (file, why) => {
    const f = failure(() => repoPathSegments(file));
    expect(f.type).toBe('StepInputError');
    expect(f.message).toContain(JSON.stringify(file));
    expect(f.message).toContain(why);
  });
});

describe('git-update paths on disk', () => {
  const clone = mkdtempSync(join(tmpdir(), 'sluice-clone-path-'));
  const outside = mkdtempSync(join(tmpdir(), 'sluice-clone-victim-'));
  writeFileSync(join(outside, 'victim.yaml'), 'a: 1\n');
  mkdirSync(join(clone, 'prod'));
  writeFileSync(join(clone, 'prod', 'app.yaml'), 'a: 1\n');
  symlinkSync(join(outside, 'victim.yaml'), join(clone, 'prod', 'link.yaml'));
  symlinkSync('app.yaml', join(clone, 'prod', 'inside-link.yaml'));
  symlinkSync(outside, join(clone, 'linked-dir'));
  mkdirSync(join(clone, 'folder.yaml'));

  it('answers the real path of a regular file and its normalised repository path', async () => {
    expect(await fileInClone(clone, './prod/app.yaml')).toEqual({
      path: join(realpathSync(clone), 'prod', 'app.yaml'),
      relative: 'prod/app.yaml',
    });
  });

  it('answers undefined for a missing file, or a file used as a folder', async () => {
    expect(await fileInClone(clone, 'prod/none.yaml')).toBeUndefined();
    expect(await fileInClone(clone, 'prod/app.yaml/x.yaml')).toBeUndefined();
  });

  it.each([
    ['prod/link.yaml', 'it is a symbolic link'],
    ['prod/inside-link.yaml', 'it is a symbolic link'],
    ['linked-dir/victim.yaml', '"linked-dir" is a symbolic link'],
    ['folder.yaml', 'not a regular file'],
  ])('refuses %j as a StepFailed naming it', async (file, why) => {
    const err = (await fileInClone(clone, file).catch((e: unknown) => e)) as Error & { type: string };
    expect(err.type).toBe('StepFailed');
    expect(err.message).toContain(JSON.stringify(file));
    expect(err.message).toContain(why);
  });
});
