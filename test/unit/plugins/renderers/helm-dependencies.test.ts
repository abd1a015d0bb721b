import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HelmRenderer } from '../../../../plugins/renderers/helm.js';
import type { ChartDependency } from '../../../../plugins/renderers/helm-dependencies.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';
import { find, input, names, rejection, tempRepo } from './helpers.js';

/** A subchart `lib` that renders one ConfigMap naming its version. */
const libChart = (dir: string, version = '1.2.0') => ({
  [`${dir}/Chart.yaml`]: `apiVersion: v2\nname: lib\nversion: ${version}\n`,
  [`${dir}/templates/cm.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
data:
  version: {{ .Chart.Version | quote }}
`,
});

const parent = (deps: string, extra: Record<string, string> = {}) => ({
  'app/Chart.yaml': `apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n${deps}`,
  'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: parent\ndata:\n  x: "1"\n',
  ...extra,
});

/** A fetcher that serves `lib` from a folder and records what it was asked. */
function fetcher(versions: Record<string, string>) {
  const asked: ChartDependency[] = [];
  const fetch = async (dep: ChartDependency) => {
    asked.push(dep);
    const dir = versions[dep.version];
    if (!dir) throw new Error(`no version ${dep.version}`);
    return dir;
  };
  return { asked, fetch };
}

describe('helm renderer: chart dependencies', () => {
  it('fetches a dependency with a repository into a private copy, leaving the checkout alone', async () => {
    const store = tempRepo(libChart('lib'));
    const { asked, fetch } = fetcher({ '^1.0.0': store });
    const root = tempRepo(
      parent('  - name: lib\n    version: ^1.0.0\n    repository: oci://registry.example/charts\n'),
    );
    const r = await new HelmRenderer({ chartDependency: fetch }).render(input('app', {}, root));
    expect(names(r.objects).sort()).toEqual(['ConfigMap/parent', 'ConfigMap/shop-lib']);
    expect(asked).toEqual([{ name: 'lib', version: '^1.0.0', repository: 'oci://registry.example/charts' }]);
    expect(existsSync(join(root, 'app/charts'))).toBe(false);
    expect(readdirSync(store)).toEqual(['lib']);
  });

  it('asks for the version Chart.lock pins when it satisfies the constraint, and honours alias and condition', async () => {
    const store = tempRepo(libChart('lib', '1.1.0'));
    const { asked, fetch } = fetcher({ '1.1.0': store });
    const root = tempRepo(
      parent(
        '  - name: lib\n    version: ^1.0.0\n    repository: https://charts.example/stable\n    alias: shared\n    condition: shared.enabled\n',
        {
          'app/Chart.lock':
            'dependencies:\n  - name: lib\n    repository: https://charts.example/stable\n    version: 1.1.0\ndigest: sha256:0\n',
          'app/values.yaml': 'shared:\n  enabled: true\n',
        },
      ),
    );
    const renderer = new HelmRenderer({ chartDependency: fetch });
    const r = await renderer.render(input('app', {}, root));
    // The alias renames the subchart (.Chart.Name), as helm does.
    expect(find(r.objects, 'ConfigMap', 'shop-shared')).toMatchObject({ data: { version: '1.1.0' } });
    expect(asked.map((d) => d.version)).toEqual(['1.1.0']);
    const off = await renderer.render(input('app', { values: { shared: { enabled: false } } }, root));
    expect(names(off.objects)).toEqual(['ConfigMap/parent']);
  });

  it('leaves vendored dependencies alone and copies file:// ones from inside the repository', async () => {
    const { asked, fetch } = fetcher({});
    const root = tempRepo(
      parent(
        '  - name: lib\n    version: 1.2.0\n    repository: file://../common/lib\n',
        libChart('common/lib'),
      ),
    );
    const r = await new HelmRenderer({ chartDependency: fetch }).render(input('app', {}, root));
    expect(find(r.objects, 'ConfigMap', 'shop-lib')).toMatchObject({ data: { version: '1.2.0' } });
    const vendored = tempRepo(
      parent(
        '  - name: lib\n    version: 1.2.0\n    repository: https://charts.example\n',
        libChart('app/charts/lib'),
      ),
    );
    await new HelmRenderer({ chartDependency: fetch }).render(input('app', {}, vendored));
    expect(asked).toEqual([]);
  });

  it('refuses a file:// dependency outside the checkout (attack: file://../../../etc)', async () => {
    const root = tempRepo(parent('  - name: etc\n    version: 1.0.0\n    repository: file://../../../etc\n'));
    const e = await rejection(
      new HelmRenderer({ chartDependency: fetcher({}).fetch }).render(input('app', {}, root)),
    );
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toBe(
      'app/Chart.yaml: dependency "etc" (file://../../../etc): ../../etc: path leaves the repository',
    );
  });

  it('refuses helm repository names, other schemes and names that are no chart names', async () => {
    for (const [repository, message] of [
      ['@stable', 'must be an https://, http://, oci:// or file:// URL'],
      ['stable:redis', 'must be an https://, http://, oci:// or file:// URL'],
      ['git+https://charts.example', 'must be an https://, http://, oci:// or file:// URL'],
    ] as const) {
      const root = tempRepo(parent(`  - name: lib\n    version: 1.0.0\n    repository: "${repository}"\n`));
      const e = await rejection(
        new HelmRenderer({ chartDependency: fetcher({}).fetch }).render(input('app', {}, root)),
      );
      expect(e.message).toContain(message);
    }
    const root = tempRepo(
      parent('  - name: ../lib\n    version: 1.0.0\n    repository: https://charts.example\n'),
    );
    const e = await rejection(
      new HelmRenderer({ chartDependency: fetcher({}).fetch }).render(input('app', {}, root)),
    );
    expect(e.message).toBe('app/Chart.yaml: dependency name "../lib" is not a chart name');
  });

  it("keeps a fetch error's class and puts the chart and dependency in front", async () => {
    class ChartAuthError extends Error {
      override name = 'ChartAuthError';
    }
    const root = tempRepo(
      parent('  - name: lib\n    version: 1.0.0\n    repository: https://charts.example\n'),
    );
    const e = await rejection(
      new HelmRenderer({
        chartDependency: async () => {
          throw new ChartAuthError('refused');
        },
      }).render(input('app', {}, root)),
    );
    expect(e).toBeInstanceOf(ChartAuthError);
    expect(e.message).toBe('app/Chart.yaml: dependency "lib" (https://charts.example): refused');
  });
});
