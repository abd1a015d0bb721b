import { describe, expect, it } from 'vitest';
import { repoUrlKey, sameRepoUrl } from '../../../core/repo-url-key.js';

describe('repoUrlKey', () => {
  it('treats a trailing .git, trailing slashes and the case of scheme and host as the same repository', () => {
    const same = [
      'https://git.example.com/team/shop.git',
      'https://git.example.com/team/shop',
      'https://git.example.com/team/shop/',
      'https://git.example.com/team/shop.git/',
      'HTTPS://Git.Example.com/team/shop.git',
      '  https://git.example.com/team/shop  ',
    ];
    for (const url of same) expect(repoUrlKey(url)).toBe('https://git.example.com/team/shop');
    expect(sameRepoUrl('http://127.0.0.1:8180/a.git', 'http://127.0.0.1:8180/a/')).toBe(true);
  });

  it('keeps repositories apart that differ in path case, port, scheme or name', () => {
    expect(sameRepoUrl('https://h/team/Shop', 'https://h/team/shop')).toBe(false);
    expect(sameRepoUrl('https://h:8443/team/shop', 'https://h/team/shop')).toBe(false);
    expect(sameRepoUrl('http://h/team/shop', 'https://h/team/shop')).toBe(false);
    expect(sameRepoUrl('https://h/team/shop.git', 'https://h/team/shopgit')).toBe(false);
    expect(sameRepoUrl('https://h/team/shop-git', 'https://h/team/shop')).toBe(false);
  });
});
