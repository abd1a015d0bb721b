import { describe, expect, it } from 'vitest';
import { UnsupportedRepoUrlError } from '../../../../activities/errors.js';
import { checkRepoUrl, redactUrl } from '../../../../activities/git/repo-url.js';

describe('checkRepoUrl', () => {
  it('accepts http and https URLs', () => {
    expect(checkRepoUrl('https://git.example.com/team/app.git')).toBe('https://git.example.com/team/app.git');
    expect(checkRepoUrl('http://127.0.0.1:8180/demo.git')).toBe('http://127.0.0.1:8180/demo.git');
  });

  it.each([
    ['ssh://git@example.com/team/app.git', 'uses SSH'],
    ['git@example.com:team/app.git', 'uses SSH'],
    ['git://example.com/app.git', 'uses SSH or git://'],
    ['ftp://example.com/app.git', 'scheme ftp: is not supported'],
    ['not a url', 'is not a URL'],
  ])('rejects %s with a hint', (url, message) => {
    expect(() => checkRepoUrl(url)).toThrow(UnsupportedRepoUrlError);
    expect(() => checkRepoUrl(url)).toThrow(message);
  });

  it('refuses credentials in the URL without repeating them', () => {
    const err = (() => {
      try {
        checkRepoUrl('https://bob:hunter2@example.com/app.git');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toContain('embeds credentials');
    expect(err?.message).not.toContain('hunter2');
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://bob:hunter2@example.com/app.git', 'https://***@example.com/app.git'],
    ['https://ghp_token@example.com/app.git', 'https://***@example.com/app.git'],
    ['HTTP://bob:p@ss@example.com/app.git', 'HTTP://***@example.com/app.git'],
    ['https://bob:pa/ss@example.com/app.git', 'https://***@example.com/app.git'],
    ['bob:hunter2@example.com:team/app.git', '***@example.com:team/app.git'],
    ['ssh://bob:hunter2@example.com/app.git', 'ssh://***@example.com/app.git'],
    ['https://example.com/app.git', 'https://example.com/app.git'],
    ['https://example.com/team/app@v1.git', 'https://example.com/team/app@v1.git'],
    ['git@example.com:team/app.git', 'git@example.com:team/app.git'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('no refusal message repeats a password, whatever the URL looks like', () => {
    for (const url of [
      'ssh://bob:hunter2@example.com/app.git',
      'https://bob:hun/ter2@example.com/app.git',
      'bob:hunter2@example.com:app.git',
      'ftp://bob:hunter2@example.com/app.git',
    ]) {
      expect(() => checkRepoUrl(url)).toThrow(UnsupportedRepoUrlError);
      try {
        checkRepoUrl(url);
      } catch (e) {
        expect((e as Error).message).not.toMatch(/hunter2|hun\/ter2/);
      }
    }
  });
});
