import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { bashScript, completionTree, fishScript, zshScript } from '../../../cli/completion-scripts.js';
import { buildProgram } from '../../../cli/program.js';

describe('shell completion from the command tree', () => {
  let program: Command;
  let script: string;
  beforeAll(async () => {
    program = await buildProgram();
    script = join(mkdtempSync(join(tmpdir(), 'sluice-completion-')), 'sluice.bash');
    writeFileSync(script, bashScript(completionTree(program)));
  });

  /** What bash offers for the words typed so far (the last one is being completed). */
  const complete = (...words: string[]): string[] =>
    execFileSync(
      'bash',
      [
        '-c',
        `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sluice_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        script,
        ...words,
      ],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);

  it('completes every top-level command, subcommands and flags', () => {
    expect(complete('sluice', '')).toEqual(expect.arrayContaining(program.commands.map((c) => c.name())));
    expect(complete('sluice', 'ro')).toEqual(['rollout']);
    expect(complete('sluice', 'app', 's')).toEqual(['sync', 'suspend']);
    expect(complete('sluice', 'rollout', 're')).toEqual(['resume', 'retry']);
    expect(complete('sluice', 'rollout', 'watch', 'web', '--int')).toEqual(['--interval']);
    // A global option's value is skipped, not taken for a command word.
    expect(complete('sluice', '--namespace', 'app', 'app', 'w')).toEqual(['wait']);
    expect(complete('sluice', 'app', 'list', '-o', '')).toEqual(['table', 'json', 'yaml']);
  });

  it('writes zsh and fish scripts over the same tree', () => {
    const nodes = completionTree(program);
    const zsh = zshScript(nodes);
    const fish = fishScript(nodes);
    for (const c of program.commands) {
      expect(zsh).toContain(`'${c.name()}:`);
      expect(fish).toContain(`-n 'test (__sluice_path) = "."' -a '${c.name()}'`);
    }
    expect(fish).toContain(`-n 'test (__sluice_path) = "app:sync"' -l dry-run`);
    execFileSync('bash', ['-n', script]);
  });

  // zsh and fish come from `bash scripts/bootstrap-tools.sh shells` (CI runs the whole bootstrap).
  const run = (shell: string, args: string[]) => {
    try {
      return execFileSync(shell, args, { encoding: 'utf8' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(`${shell} is not installed: run bash scripts/bootstrap-tools.sh shells`);
      throw err;
    }
  };

  it('the fish script completes in fish: commands, subcommands and flags with their descriptions', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sluice-completion-')), 'sluice.fish');
    writeFileSync(file, fishScript(completionTree(program)));
    const fish = (line: string) =>
      run('fish', ['-c', 'source $argv[1]; complete -C $argv[2]', file, line])
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]);
    expect(fish('sluice ro')).toEqual(['rollout']);
    expect(fish('sluice app w')).toEqual(['wait']);
    expect(fish('sluice app sync web --dry')).toEqual(['--dry-run']);
  });

  it('the zsh script offers the same candidates in zsh (zsh filters them by prefix itself)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sluice-completion-')), '_sluice');
    writeFileSync(file, zshScript(completionTree(program)));
    run('zsh', ['-n', file]);
    // compsys is interactive-only: _describe and _files print what they were given instead.
    const zsh = (...words: string[]) =>
      run('zsh', [
        '-c',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's parameter expansion, not a template
        'compdef() { :; }; source $1; shift; _describe() { print -l -- "${(@P)${@[-1]}}"; }; _files() { print FILES; }; words=("$@"); CURRENT=$#; _sluice',
        'zsh',
        file,
        ...words,
      ])
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':')[0]);
    expect(zsh('sluice', '')).toEqual(expect.arrayContaining(program.commands.map((c) => c.name())));
    expect(zsh('sluice', '--namespace', 'app', 'app', 'w')).toEqual(expect.arrayContaining(['wait', 'sync']));
    expect(zsh('sluice', '--namespace', 'app', 'app', 'w')).not.toContain('rollout');
    expect(zsh('sluice', 'app', 'diff', 'web', '--kubeconfig', '')).toEqual(['FILES']);
  });
});
