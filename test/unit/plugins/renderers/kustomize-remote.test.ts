import { describe, expect, it } from 'vitest';
import { gitProtocols, isRemote, remoteRefusal } from '../../../../plugins/renderers/kustomize-remote.js';

describe('isRemote', () => {
  it('takes every form kustomize fetches as remote', () => {
    for (const entry of [
      'https://github.com/acme/base//deploy?ref=v1',
      'HTTP://169.254.169.254/latest/meta-data',
      'ssh://git@git.example/acme/base.git',
      'file:///var/cache/sluice/git/trees/abc-123',
      'git::https://github.com/acme/base',
      'git@github.com:acme/base.git',
      'deploy-bot@git.example:acme/base.git',
      'github.com/acme/base/deploy?ref=v1',
      'GitHub.com:acme/base',
      'gh:acme/base',
      'http:/169.254.169.254/latest',
    ])
      expect(isRemote(entry), entry).toBe(true);
  });

  it('takes paths as local, dotted folder names and @ in later segments included', () => {
    for (const entry of [
      '../base',
      'base',
      './deploy.yaml',
      'dev.azure.com/org/_git/x',
      'a/b@c',
      '/etc/passwd',
    ])
      expect(isRemote(entry), entry).toBe(false);
  });
});

describe('remoteRefusal', () => {
  const allowed = ['https://github.com/acme/base', 'git@github.com:acme/', 'file:///srv/bases/'];

  it('allows entries under a prefix, by whole path segments', () => {
    for (const entry of [
      'https://github.com/acme/base',
      'https://github.com/acme/base//deploy?ref=v1',
      'https://github.com/acme/base/deploy',
      'https://github.com/acme/base?ref=v1',
      'git::https://github.com/acme/base//deploy',
      'git@github.com:acme/anything.git',
      'file:///srv/bases/shared.git',
    ])
      expect(remoteRefusal(entry, allowed), entry).toBeUndefined();
  });

  it('refuses everything else, and dot segments that would leave an allowed prefix', () => {
    for (const entry of [
      'https://github.com/acme/base-evil',
      'https://github.com/acme/basement//x',
      'https://github.com/evil/base',
      'http://github.com/acme/base',
      'https://github.com/acme/base/../../evil/x',
      'https://github.com/acme/base/%2e%2e/evil',
      'git@github.com:acme/../evil/x.git',
    ])
      expect(remoteRefusal(entry, allowed), entry).toBeDefined();
    expect(remoteRefusal('https://github.com/acme/base/../x', allowed)).toBe(
      'has "." or ".." segments or escaped characters in its path',
    );
    expect(remoteRefusal('https://github.com/evil/x', allowed)).toBe(
      'is a remote base that this worker does not allow',
    );
    expect(remoteRefusal('https://github.com/acme/base', [])).toBe(
      'is a remote base, and this worker allows none',
    );
  });
});

describe('gitProtocols', () => {
  it('allows git only the transports the allowed prefixes need', () => {
    expect(gitProtocols([])).toBe('none');
    expect(gitProtocols(['https://github.com/acme/', 'git@github.com:acme/'])).toBe('https:ssh');
    expect(gitProtocols(['github.com/acme/', 'file:///srv/bases/'])).toBe('file:https');
    expect(gitProtocols(['ext::sh -c evil'])).toBe('none');
  });
});
