import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ageKeysOf, withDecryptedCopies } from '../../../../activities/sync/decrypt.js';
import { createRenderer } from '../../../../plugins/renderers/factory.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';
import { ageKeygen, sopsEncrypt } from '../../../helpers/sops.js';

// Real sops (scripts/bootstrap-tools.sh sops) and age-keygen (Debian's age).
const key = ageKeygen();
const other = ageKeygen();
const keys = { secretName: 'team-age', ageKeys: key.secret };
const scope = { kustomizeRemoteBases: [] };
const plainSecret =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-unit\n';
const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sluice-decrypt-unit-'));
  repos.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text, { mode: 0o444 });
  }
  return root;
}

const encSecret = () => sopsEncrypt('secret.yaml', plainSecret, key.recipient, '^(data|stringData)$');

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('SOPS decryption in a private copy', () => {
  it('directory: decrypts the encrypted Secret in a 0600 copy, leaves the checkout encrypted, removes the copy', async () => {
    const root = repo({
      'app/secret.yaml': encSecret(),
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    let copy = '';
    const objects = await withDecryptedCopies([{ root, path: 'app' }], scope, keys, async (rootOf) => {
      const r = rootOf(root);
      copy = r;
      expect(statSync(join(r, 'app/secret.yaml')).mode & 0o777).toBe(0o600);
      return (
        await createRenderer('directory').render({
          repoRoot: r,
          path: 'app',
          appName: 'a',
          namespace: 'n',
          options: {},
        })
      ).objects;
    });
    expect(objects.find((o) => o.kind === 'Secret')).toMatchObject({
      stringData: { password: 'hunter2-unit' },
    });
    expect(objects.find((o) => o.kind === 'Secret')).not.toHaveProperty('sops');
    expect(readFileSync(join(root, 'app/secret.yaml'), 'utf8')).not.toContain('hunter2-unit');
    expect(existsSync(copy)).toBe(false);
  });

  it('kustomize: decrypts a secretGenerator env file in a base the overlay builds on', async () => {
    const root = repo({
      'base/kustomization.yaml': 'secretGenerator:\n- name: creds\n  envs: [creds.env]\n',
      'base/creds.env': sopsEncrypt('creds.env', 'TOKEN=tok-unit-123\n', key.recipient),
      'overlay/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
    });
    const objects = await withDecryptedCopies(
      [{ root, path: 'overlay', render: { plugin: 'kustomize' } }],
      scope,
      keys,
      async (rootOf) =>
        (
          await createRenderer('kustomize').render({
            repoRoot: rootOf(root),
            path: 'overlay',
            appName: 'a',
            namespace: 'n',
            options: {},
          })
        ).objects,
    );
    const secret = objects.find((o) => o.kind === 'Secret') as { data?: Record<string, string> };
    expect(Buffer.from(secret.data?.TOKEN ?? '', 'base64').toString()).toBe('tok-unit-123');
  });

  it('helm: decrypts an encrypted value file', async () => {
    const root = repo({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'chart/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  pw: {{ .Values.pw | quote }}\n',
      'chart/secrets.yaml': sopsEncrypt('secrets.yaml', 'pw: helm-unit-pw\n', key.recipient),
    });
    const render = { plugin: 'helm' as const, valueFiles: ['secrets.yaml'] };
    const objects = await withDecryptedCopies(
      [{ root, path: 'chart', render }],
      scope,
      keys,
      async (rootOf) =>
        (
          await createRenderer('helm').render({
            repoRoot: rootOf(root),
            path: 'chart',
            appName: 'a',
            namespace: 'n',
            options: { valueFiles: ['secrets.yaml'] },
          })
        ).objects,
    );
    expect(objects[0]).toMatchObject({ data: { pw: 'helm-unit-pw' } });
  });

  it('a file for another key fails naming the file and the recipients, without key or plaintext', async () => {
    const root = repo({ 'app/secret.yaml': sopsEncrypt('secret.yaml', plainSecret, other.recipient) });
    const e = await failure(withDecryptedCopies([{ root, path: 'app' }], scope, keys, async () => 0));
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toMatch(
      /^app\/secret\.yaml: cannot be decrypted with the age keys in secret "team-age"/,
    );
    expect(e.message).toContain(other.recipient);
    for (const s of [key.secret, other.secret, 'hunter2-unit'])
      expect(e.message + String(e.stack)).not.toContain(s);
    expect(e.cause).toBeUndefined();
  });

  it('a tampered file fails with a MAC mismatch naming the file', async () => {
    const tampered = encSecret().replace(/^(metadata:\n\s+name: )db$/m, '$1dbx');
    const root = repo({ 'app/secret.yaml': tampered });
    const e = await failure(withDecryptedCopies([{ root, path: 'app' }], scope, keys, async () => 0));
    expect(e.message).toMatch(/^app\/secret\.yaml: cannot be decrypted: its MAC does not match/);
  });

  it('refuses a symlink in the repository that points outside it, even named as a value file', async () => {
    const outside = repo({ 'secret.yaml': encSecret() });
    const root = repo({ 'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n' });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'chart/secrets.yaml'));
    const render = { plugin: 'helm' as const, valueFiles: ['secrets.yaml'] };
    const e = await failure(
      withDecryptedCopies([{ root, path: 'chart', render }], scope, keys, async () => 0),
    );
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toMatch(/chart\/secrets\.yaml: symlink points outside the repository/);
    const dir = repo({});
    symlinkSync('../../../../../../../../etc/passwd', join(dir, 'leak.yaml'));
    const e2 = await failure(withDecryptedCopies([{ root: dir, path: '.' }], scope, keys, async () => 0));
    expect(e2.message).toMatch(/leak\.yaml: symlink points outside the repository/);
  });

  it('several sources: decrypts a $ref value file in a copy of the ref root only, and renders the chart from where it is', async () => {
    const chart = repo({
      'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'web/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  pw: {{ .Values.pw | quote }}\n',
    });
    const values = repo({
      'env/secrets.enc.yaml': sopsEncrypt('secrets.yaml', 'pw: ref-unit-pw\n', key.recipient),
    });
    const render = { plugin: 'helm' as const, valueFiles: ['$values/env/secrets.enc.yaml'] };
    let copies: string[] = [];
    const objects = await withDecryptedCopies(
      [{ root: chart, path: 'web', render }],
      { ...scope, refRoots: { values } },
      keys,
      async (rootOf) => {
        copies = [rootOf(chart), rootOf(values)];
        return (
          await createRenderer('helm').render({
            repoRoot: rootOf(chart),
            path: 'web',
            appName: 'a',
            namespace: 'n',
            options: { valueFiles: render.valueFiles },
            refRoots: { values: rootOf(values) },
          })
        ).objects;
      },
    );
    expect(objects[0]).toMatchObject({ data: { pw: 'ref-unit-pw' } });
    // The chart holds nothing encrypted: it is read where it is; the ref's checkout is copied and removed.
    expect(copies[0]).toBe(chart);
    expect(copies[1]).not.toBe(values);
    expect(existsSync(copies[1] as string)).toBe(false);
    expect(readFileSync(join(values, 'env/secrets.enc.yaml'), 'utf8')).not.toContain('ref-unit-pw');
  });

  it('several sources in one checkout share one copy; a $ref file for another key fails naming $ref/path', async () => {
    const root = repo({
      'a/secret.yaml': encSecret(),
      'b/creds.env': sopsEncrypt('creds.env', 'TOKEN=shared-unit\n', key.recipient),
      'wrong.yaml': sopsEncrypt('wrong.yaml', 'pw: x\n', other.recipient),
    });
    const seen = await withDecryptedCopies(
      [
        { root, path: 'a', render: { plugin: 'directory' } },
        { root, path: 'b', render: { plugin: 'directory' } },
      ],
      scope,
      keys,
      async (rootOf) => [
        readFileSync(join(rootOf(root), 'a/secret.yaml'), 'utf8'),
        readFileSync(join(rootOf(root), 'b/creds.env'), 'utf8'),
      ],
    );
    expect(seen[0]).toContain('hunter2-unit');
    expect(seen[1]).toBe('TOKEN=shared-unit\n');
    const chart = repo({ 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n' });
    const e = await failure(
      withDecryptedCopies(
        [{ root: chart, path: 'c', render: { plugin: 'helm', valueFiles: ['$vals/./wrong.yaml'] } }],
        { ...scope, refRoots: { vals: root } },
        keys,
        async () => 0,
      ),
    );
    expect(e.message).toMatch(
      /^\$vals\/wrong\.yaml: cannot be decrypted with the age keys in secret "team-age"/,
    );
  });

  it('refuses a $ref value file that is a symlink leaving the ref source, before anything is decrypted', async () => {
    const outside = repo({ 'secret.yaml': encSecret() });
    const values = repo({});
    symlinkSync(join(outside, 'secret.yaml'), join(values, 'leak.yaml'));
    const chart = repo({ 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n' });
    const e = await failure(
      withDecryptedCopies(
        [{ root: chart, path: 'c', render: { plugin: 'helm', valueFiles: ['$values/leak.yaml'] } }],
        { ...scope, refRoots: { values } },
        keys,
        async () => 0,
      ),
    );
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toMatch(/leak\.yaml: symlink points outside the repository/);
    expect(e.message).not.toContain('hunter2-unit');
  });

  it('takes the age keys from keys ending in .agekey (or _agekey from the environment), and refuses a secret without one', () => {
    expect(ageKeysOf({ 'a.agekey': key.secret, other: 'x', b_agekey: other.secret }, 's').ageKeys).toBe(
      `${key.secret}\n${other.secret}`,
    );
    expect(() => ageKeysOf({ password: key.secret }, 's')).toThrow(/secret "s" holds no age key/);
  });
});
