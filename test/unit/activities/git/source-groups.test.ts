import { describe, expect, it } from 'vitest';
import { pickRef } from '../../../../activities/git/repo-cache.js';
import { groupSources } from '../../../../activities/git/source-groups.js';

describe('groupSources', () => {
  it('asks each repository once per set of credentials, whatever the branch or spelling of its URL', () => {
    const sources = [
      { repoURL: 'http://git/shop.git', targetRevision: 'main', project: 'a' },
      { repoURL: 'http://git/shop', targetRevision: 'release', project: 'a' },
      { repoURL: 'http://git/shop.git/', targetRevision: 'main', project: 'b' },
      { repoURL: 'http://git/infra.git', targetRevision: 'main', project: 'a' },
    ];
    const groups = groupSources(sources, () => 'shop-token');
    expect(groups).toEqual([
      { url: 'http://git/shop.git', credentials: 'shop-token', members: [0, 1, 2] },
      { url: 'http://git/infra.git', credentials: 'shop-token', members: [3] },
    ]);
  });

  it('never lets a caller without credentials share an ls-remote made with another caller’s', () => {
    const sources = [
      { repoURL: 'http://git/private.git', project: 'owner' },
      { repoURL: 'http://git/private.git', project: 'other' },
      { repoURL: 'http://git/private.git', project: 'owner' },
    ];
    const groups = groupSources(sources, (s) => (s.project === 'owner' ? 'private-token' : undefined));
    expect(groups).toEqual([
      { url: 'http://git/private.git', credentials: 'private-token', members: [0, 2] },
      { url: 'http://git/private.git', members: [1] },
    ]);
  });
});

describe('pickRef', () => {
  const refs = [
    { ref: 'HEAD', oid: 'h'.repeat(40) },
    { ref: 'refs/heads/main', oid: 'a'.repeat(40) },
    { ref: 'refs/heads/v1', oid: 'b'.repeat(40) },
    { ref: 'refs/tags/v1', oid: 't'.repeat(40), peeled: 'c'.repeat(40) },
  ];

  it('answers branches before tags, peels tags, and passes full SHAs through', () => {
    expect(pickRef(refs, 'u', 'main')).toBe('a'.repeat(40));
    expect(pickRef(refs, 'u', 'HEAD')).toBe('h'.repeat(40));
    expect(pickRef(refs, 'u', 'v1')).toBe('b'.repeat(40));
    expect(pickRef(refs.slice(0, 2).concat(refs[3] ?? []), 'u', 'v1')).toBe('c'.repeat(40));
    expect(pickRef([], 'u', 'd'.repeat(40))).toBe('d'.repeat(40));
  });

  it('answers a missing branch as an error for that branch only', () => {
    const missing = pickRef(refs, 'http://git/shop.git', 'gone');
    expect(missing).toBeInstanceOf(Error);
    expect((missing as Error).message).toBe('http://git/shop.git has no branch or tag "gone"');
  });
});
