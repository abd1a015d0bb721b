import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRenderer } from '../../../../plugins/renderers/factory.js';
import { containedBuildFlags, KustomizeRenderer } from '../../../../plugins/renderers/kustomize.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';
import { findTool } from '../../../../plugins/renderers/tool-path.js';
import { input, names, rejection, tempRepo } from './helpers.js';

// The real kustomize from the tools cache (scripts/bootstrap-tools.sh), as the worker runs it.
const renderer = new KustomizeRenderer();

const head = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const secret =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: team-a-token\nstringData:\n  token: hunter2\n';
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/**
 * A folder holding `repo/` (the repository being rendered) and, beside it, `other/prod`: another
 * team's checkout with a Secret, as the worker's cache keeps checkouts side by side.
 */
function workerDisk(repoFiles: Record<string, string>): { parent: string; repo: string } {
  const files: Record<string, string> = {
    'other/prod/kustomization.yaml': `${head}resources:\n  - secret.yaml\n`,
    'other/prod/secret.yaml': secret,
    'repo/app/cm.yaml': configMap('web'),
  };
  for (const [path, content] of Object.entries(repoFiles)) files[`repo/${path}`] = content;
  const parent = tempRepo(files);
  return { parent, repo: join(parent, 'repo') };
}

/** The RenderError of rendering app/ in a repository beside another team's checkout. */
async function refusal(kustomization: string, extra: Record<string, string> = {}): Promise<RenderError> {
  const { repo } = workerDisk({ 'app/kustomization.yaml': kustomization, ...extra });
  const e = await rejection(renderer.render(input('app', {}, repo)));
  expect(e).toBeInstanceOf(RenderError);
  return e as RenderError;
}

const leaves =
  'leaves the repository: copy it into this repository, or use a remote base the administrator allows (render.kustomize.remoteBases)';

describe('kustomize renderer: kept inside the repository', () => {
  it("refuses a base in another team's checkout beside the repository, which kustomize alone would build", async () => {
    const kustomization = `${head}resources:\n  - cm.yaml\n  - ../../other/prod\n`;
    const { repo } = workerDisk({ 'app/kustomization.yaml': kustomization });
    // kustomize's load restrictor (root-only, its default) does not stop a base outside the root:
    const alone = execFileSync(
      findTool('kustomize'),
      ['build', ...containedBuildFlags, '--', join(repo, 'app')],
      {
        encoding: 'utf8',
      },
    );
    expect(alone).toContain('hunter2');
    const e = await rejection(renderer.render(input('app', {}, repo)));
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toBe(`app/kustomization.yaml:5: resources[1] "../../other/prod" ${leaves}`);
    expect(e.message).not.toContain('hunter2');
  });

  it('refuses an escape from a base inside the repository, naming that base', async () => {
    const e = await refusal(`${head}resources:\n  - ../base\n`, {
      'base/kustomization.yaml': `${head}resources:\n  - ../../other/prod\n`,
    });
    expect(e.message).toBe(`base/kustomization.yaml:4: resources[0] "../../other/prod" ${leaves}`);
  });

  it('refuses absolute paths', async () => {
    const { parent } = workerDisk({});
    const e = await refusal(`${head}resources:\n  - ${parent}/other/prod\n`);
    expect(e.message).toBe(
      `app/kustomization.yaml:4: resources[0] "${parent}/other/prod" is an absolute path: paths in a kustomization are relative to its folder`,
    );
  });

  it('refuses a symlinked folder or kustomization file that points out of the repository', async () => {
    const { parent, repo } = workerDisk({
      'app/kustomization.yaml': `${head}resources:\n  - ../links/prod\n`,
    });
    mkdirSync(join(repo, 'links'));
    symlinkSync(join(parent, 'other/prod'), join(repo, 'links/prod'));
    const dir = await rejection(renderer.render(input('app', {}, repo)));
    expect(dir.message).toBe(
      'app/kustomization.yaml:4: resources[0] "../links/prod" is a symlink to a path outside the repository: copy it into this repository, or use a remote base the administrator allows (render.kustomize.remoteBases)',
    );

    const other = workerDisk({ 'app/kustomization.yaml': `${head}resources:\n  - ../base\n` });
    mkdirSync(join(other.repo, 'base'));
    symlinkSync(
      join(other.parent, 'other/prod/kustomization.yaml'),
      join(other.repo, 'base/kustomization.yaml'),
    );
    const file = await rejection(renderer.render(input('app', {}, other.repo)));
    expect(file.message).toBe('base/kustomization.yaml: is a symlink to a file outside the repository');
  });

  it('checks every field that names a file or a base, in any letter case and through merge keys', async () => {
    const out = '../../other/prod/secret.yaml';
    const cases: [string, string][] = [
      [`bases:\n  - ../../other/prod\n`, 'bases[0]'],
      [`components:\n  - ../../other/prod\n`, 'components[0]'],
      [`crds:\n  - ${out}\n`, 'crds[0]'],
      [`configurations:\n  - ${out}\n`, 'configurations[0]'],
      [`patchesStrategicMerge:\n  - ${out}\n`, 'patchesStrategicMerge[0]'],
      [`patches:\n  - path: ${out}\n`, 'patches[0].path'],
      [
        `patchesJson6902:\n  - path: ${out}\n    target: {kind: ConfigMap, name: web}\n`,
        'patchesJson6902[0].path',
      ],
      [`replacements:\n  - path: ${out}\n`, 'replacements[0].path'],
      [
        `configMapGenerator:\n  - name: leak\n    files:\n      - token=${out}\n`,
        'configMapGenerator[0].files[0]',
      ],
      [`secretGenerator:\n  - name: leak\n    envs:\n      - ${out}\n`, 'secretGenerator[0].envs[0]'],
      [`secretGenerator:\n  - name: leak\n    env: ${out}\n`, 'secretGenerator[0].env'],
      [`openapi:\n  path: ${out}\n`, 'openapi.path'],
      [`generators:\n  - ${out}\n`, 'generators[0]'],
      [`validators:\n  - ${out}\n`, 'validators[0]'],
      [`Resources:\n  - ../../other/prod\n`, 'Resources[0]'],
      [`reſources:\n  - ../../other/prod\n`, 'reſources[0]'],
      [
        `transformers:\n  - |\n    apiVersion: builtin\n    kind: PatchTransformer\n    metadata: {name: p}\n    path: ${out}\n`,
        'transformers[0].path',
      ],
    ];
    for (const [yaml, field] of cases) {
      const e = await refusal(`${head}${yaml}`);
      expect(e.message, yaml).toMatch(
        new RegExp(`^app/kustomization\\.yaml:\\d+: ${field.replace(/[[\].]/g, '\\$&')} "\\.\\./`),
      );
      expect(e.message, yaml).toContain(leaves);
    }
    const merged = await refusal(`${head}x-base: &b\n  - ../../other/prod\n<<: {resources: *b}\n`);
    expect(merged.message).toMatch(
      /^app\/kustomization\.yaml(:\d+)?: resources\[0\] "\.\.\/\.\.\/other\/prod" leaves/,
    );
  });

  it('checks the paths in plugin config files, and refuses kustomizations as plugin configs', async () => {
    const config =
      'apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: http://169.254.169.254/latest/meta-data/iam\n';
    const e = await refusal(`${head}transformers:\n  - patch.yaml\n`, { 'app/patch.yaml': config });
    expect(e.message).toBe(
      'app/patch.yaml:5: path "http://169.254.169.254/latest/meta-data/iam" is a remote base, and this worker allows none: copy the base into this repository, or ask the administrator to allow the remote base in render.kustomize.remoteBases',
    );
    const dir = await refusal(`${head}transformers:\n  - ../configs\n`, {
      'configs/kustomization.yaml': `${head}resources:\n  - patch.yaml\n`,
    });
    expect(dir.message).toBe(
      'app/kustomization.yaml:4: transformers[0] "../configs" is a folder: Sluice accepts generator, transformer and validator configs as files or inline, not as kustomizations',
    );
  });

  it("refuses kustomize's helm inflation, which would download charts", async () => {
    const e = await refusal(`${head}helmCharts:\n  - name: redis\n    repo: https://charts.example\n`);
    expect(e.message).toMatch(
      /^app\/kustomization\.yaml:4: helmCharts: Sluice runs kustomize without --enable-helm/,
    );
  });

  it('refuses remote bases and files when the worker allows none', async () => {
    for (const entry of [
      'https://github.com/acme/base//deploy?ref=v1',
      'github.com/acme/base',
      'git@github.com:acme/base.git',
      'http://169.254.169.254/latest/meta-data',
      'file:///var/cache/sluice/git/trees',
    ]) {
      const e = await refusal(`${head}resources:\n  - ${entry}\n`);
      expect(e.message).toBe(
        `app/kustomization.yaml:4: resources[0] ${JSON.stringify(entry)} is a remote base, and this worker allows none: copy the base into this repository, or ask the administrator to allow the remote base in render.kustomize.remoteBases`,
      );
    }
  });

  it('still builds bases inside the repository, through symlinks that stay inside', async () => {
    const { repo } = workerDisk({
      'app/kustomization.yaml': `${head}resources:\n  - cm.yaml\n  - ../links/base\n`,
      'shared/base/kustomization.yaml': `${head}resources:\n  - cm.yaml\nconfigMapGenerator:\n  - name: gen\n    files:\n      - key=data.txt\n`,
      'shared/base/cm.yaml': configMap('shared'),
      'shared/base/data.txt': 'x',
    });
    mkdirSync(join(repo, 'links'));
    symlinkSync(join(repo, 'shared/base'), join(repo, 'links/base'));
    const r = await renderer.render(input('app', {}, repo));
    expect(names(r.objects).sort()).toEqual([
      expect.stringMatching(/^ConfigMap\/gen-/),
      'ConfigMap/shared',
      'ConfigMap/web',
    ]);
  });
});

describe('kustomize renderer: the command line', () => {
  it('carries no option value but images (after --) and the folder (after --); prefix and suffix go into a file', async () => {
    // A stand-in kustomize that records its arguments and the overlay it was given, and renders nothing.
    const dir = tempRepo();
    const log = join(dir, 'argv');
    const fake = join(dir, 'kustomize');
    writeFileSync(
      fake,
      `#!/bin/sh\nprintf '%s\\n' "$@" >> ${log}\necho --- >> ${log}\n[ "$1" = build ] && cat "$(eval echo \\\${$#})/kustomization.yaml" >> ${log}\nexit 0\n`,
    );
    chmodSync(fake, 0o755);
    const { repo } = workerDisk({ 'app/kustomization.yaml': `${head}resources:\n  - cm.yaml\n` });
    await new KustomizeRenderer({ binary: fake }).render(
      input(
        'app',
        {
          namePrefix: '--enable-helm ',
          nameSuffix: '--load-restrictor=none',
          images: ['web=registry.example/web:2'],
        },
        repo,
      ),
    );
    const [edit = '', build = '', overlay = ''] = readFileSync(log, 'utf8').split('---\n');
    expect(edit.trim().split('\n')).toEqual(['edit', 'set', 'image', '--', 'web=registry.example/web:2']);
    expect(build.trim().split('\n')).toEqual([
      'build',
      ...containedBuildFlags,
      '--',
      expect.stringMatching(/\/overlay$/),
    ]);
    expect(overlay).toContain('namePrefix: "--enable-helm "');
    expect(overlay).toContain('nameSuffix: --load-restrictor=none');
  });
});

describe('kustomize renderer: remote bases the administrator allows', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.end(configMap(`fetched${req.url?.replace(/[^a-z]/g, '-')}`));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('passes an allowed remote file to kustomize, which fetches it; refuses one outside the prefix', async () => {
    const allowed = createRenderer('kustomize', { kustomizeRemoteBases: [`${base}/acme/`] });
    const { repo } = workerDisk({
      'app/kustomization.yaml': `${head}resources:\n  - ${base}/acme/cm.yaml\n`,
    });
    const r = await allowed.render(input('app', {}, repo));
    expect(names(r.objects)).toEqual(['ConfigMap/fetched-acme-cm-yaml']);

    const other = workerDisk({ 'app/kustomization.yaml': `${head}resources:\n  - ${base}/evil/cm.yaml\n` });
    const e = await rejection(allowed.render(input('app', {}, other.repo)));
    expect(e.message).toBe(
      `app/kustomization.yaml:4: resources[0] "${base}/evil/cm.yaml" is a remote base that this worker does not allow: copy the base into this repository, or ask the administrator to allow the remote base in render.kustomize.remoteBases`,
    );
  });

  it('clones an allowed remote git base (git may use only the transports allowed prefixes need)', async () => {
    const bases = tempRepo({
      'deploy/kustomization.yaml': `${head}resources:\n  - cm.yaml\n`,
      'deploy/cm.yaml': configMap('from-git'),
    });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: bases });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const url = `file://${bases}//deploy?ref=main`;
    const { repo } = workerDisk({ 'app/kustomization.yaml': `${head}resources:\n  - ${url}\n` });
    const allowed = createRenderer('kustomize', { kustomizeRemoteBases: [`file://${bases}`] });
    expect(names((await allowed.render(input('app', {}, repo))).objects)).toEqual(['ConfigMap/from-git']);
    const refused = await rejection(renderer.render(input('app', {}, repo)));
    expect(refused.message).toContain('is a remote base, and this worker allows none');
  });
});
