// Issue 12, finding 2, as the attack: a Pipeline author points the git-update step at a file outside
// the clone — by `..`, by a committed symlink to a file, or through a committed symlinked folder — and
// the worker must write none of them. A legitimate git-update on the same repository still works.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { type PipelineRunStatus, pipelineStatusQuery } from '../../workflows/pipeline/messages.js';
import { waitFor } from '../helpers/wait-for.js';
import { servedRepo } from './helpers/git-repo.js';
import { startPipelineRun } from './helpers/pipeline-run.js';
import { startTestWorker } from './helpers/test-worker.js';

const config = loadStackConfig();
const _address = `127.0.0.1:${config.ports.temporal}`;
const victimYaml = (tag: string) =>
  `# a file on the worker's disk, outside any clone\nimage: example.com/web:${tag}\n`;

describe('git-update never writes outside its clone (issue 12, finding 2)', () => {
  const suffix = Date.now().toString(36);
  const repo = servedRepo('sec-git-update');
  // Files the attack aims at: YAML the worker can write, outside every clone.
  const victimDir = mkdtempSync(join(tmpdir(), 'sluice-victim-'));
  const victim = join(victimDir, 'victim.yaml');
  const victimViaDir = join(victimDir, 'target.yaml');
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  const runs: string[] = [];

  /** A one-step Pipeline (checked by the real loader) that runs git-update on `file`; answers its run's end state. */
  const runGitUpdate = async (name: string, file: string): Promise<PipelineRunStatus> => {
    const handle = await startPipelineRun(
      w,
      {
        name,
        yaml: `apiVersion: sluice.dev/v1alpha1
kind: Pipeline
metadata:
  name: ${name}-${suffix}
spec:
  trigger: {manual: {}}
  steps:
    - name: promote
      uses: git-update
      with:
        repoURL: ${repo.url}
        file: ${JSON.stringify(file)}
        image: example.com/web
        tag: "6.6.6"
`,
      },
      { kind: 'manual', by: 'attacker' },
    );
    runs.push(handle.workflowId);
    return waitFor(
      `${name} to end`,
      async () => {
        const s = await handle.query(pipelineStatusQuery);
        return (s.phase === 'Failed' || s.phase === 'Succeeded') && s;
      },
      60_000,
      250,
    );
  };
  const bare = join(stackPaths(config).gitRoot, new URL(repo.url).pathname.slice(1));
  const onServer = (path: string) =>
    execFileSync('git', ['--git-dir', bare, 'show', `main:${path}`], { encoding: 'utf8' });

  beforeAll(async () => {
    writeFileSync(victim, victimYaml('1.0'));
    writeFileSync(victimViaDir, victimYaml('1.0'));
    repo.commit({ 'production/deployment.yaml': 'image: example.com/web:1.0 # set by the pipeline\n' });
    // The author commits symlinks with plain git: one to the victim file, one to the victim's folder.
    const work = mkdtempSync(join(tmpdir(), 'sluice-sec-links-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Author', '-c', 'user.email=author@example.com', ...args], {
        cwd: work,
        encoding: 'utf8',
      });
    git('clone', '-q', bare, '.');
    mkdirSync(join(work, 'links'));
    symlinkSync(victim, join(work, 'links', 'victim.yaml'));
    symlinkSync(victimDir, join(work, 'linked-dir'));
    git('add', 'links/victim.yaml', 'linked-dir');
    git('commit', '-q', '-m', 'links');
    git('push', '-q', 'origin', 'main');

    w = await startTestWorker('sec-git-update');
  });
  afterAll(async () => {
    for (const id of runs)
      await w?.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    await w?.stop();
  });

  it('refuses `..` up to a file outside the clone; the file is unchanged', async () => {
    // Enough `..` to reach / from any temporary folder, then the victim's absolute path.
    const s = await runGitUpdate('dotdot', `${'../'.repeat(12)}${victim.slice(1)}`);
    expect(readFileSync(victim, 'utf8')).toBe(victimYaml('1.0'));
    expect(s.phase).toBe('Failed');
    expect(s.failedStep).toBe('promote');
    expect(s.message).toMatch(/file ".*victim\.yaml" is refused: "\.\." would leave the repository/);
  });

  it('refuses a committed symlink to a file outside the clone; the file is unchanged', async () => {
    const s = await runGitUpdate('link', 'links/victim.yaml');
    expect(readFileSync(victim, 'utf8')).toBe(victimYaml('1.0'));
    expect(s.phase).toBe('Failed');
    expect(s.message).toMatch(/file "links\/victim\.yaml" is refused: it is a symbolic link/);
  });

  it('refuses a path through a committed symlinked folder; the file behind it is unchanged', async () => {
    const s = await runGitUpdate('linkdir', 'linked-dir/target.yaml');
    expect(readFileSync(victimViaDir, 'utf8')).toBe(victimYaml('1.0'));
    expect(s.phase).toBe('Failed');
    expect(s.message).toMatch(/file "linked-dir\/target\.yaml" is refused: "linked-dir" is a symbolic link/);
  });

  it('still updates a regular file of the repository, and pushes it', async () => {
    const s = await runGitUpdate('legit', 'production/deployment.yaml');
    expect(s.phase, s.message).toBe('Succeeded');
    expect(s.steps[0]?.outputs).toMatchObject({ changed: true, file: 'production/deployment.yaml' });
    expect(onServer('production/deployment.yaml')).toBe(
      'image: example.com/web:6.6.6 # set by the pipeline\n',
    );
    // The links on the server are as the author committed them.
    expect(onServer('links/victim.yaml')).toBe(victim);
  });
});
