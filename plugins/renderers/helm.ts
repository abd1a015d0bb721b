import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseValueFileRef, type ValueFileRef, ValueFileRefError } from '../../core/sync/value-file-ref.js';
import type { RenderPolicy } from './factory.js';
import { helmTemplateArgs } from './helm-args.js';
import { missingDependencies, vendorDependencies } from './helm-dependencies.js';
import { parseManifests } from './manifests.js';
import { checkOptions } from './options.js';
import { RenderError, type Renderer, type RenderInput, type RenderResult } from './renderer.js';
import { type RepoPath, resolveInRepo } from './repo-path.js';
import { baseToolEnv, runTool, type ToolOptions } from './run-tool.js';
import { withTempDir } from './temp-dir.js';
import { findTool } from './tool-path.js';
import { walkFiles } from './walk.js';

/**
 * A Helm chart, rendered with `helm template` against the destination's capabilities; helm itself never
 * reaches the network: dependencies that are not vendored come through the worker's fetcher.
 */
export class HelmRenderer implements Renderer {
  readonly name = 'helm';

  constructor(private readonly tool: ToolOptions & RenderPolicy = {}) {}

  /** Templates the chart at the path with the release name, namespace, values files, values and parameters. */
  async render(input: RenderInput): Promise<RenderResult> {
    const options = checkOptions('helm', input.options);
    const chart = await resolveInRepo(input.repoRoot, input.path, 'directory');
    if (!existsSync(join(chart.real, 'Chart.yaml')))
      throw new RenderError('is not a Helm chart: it has no Chart.yaml', { file: chart.rel });
    // Helm follows symlinks in a chart, and .Files.Get would put what they point at into a manifest.
    for await (const _ of walkFiles(chart.root, chart.real, { recurse: true, hidden: true }));
    const valueFiles = await Promise.all(
      (options.valueFiles ?? []).map((f) => valueFile(chart, f, input.refRoots ?? {})),
    );
    // valuesFrom is read from the cluster by the activity; a caller that did not read it must not get a render without it.
    if (options.valuesFrom?.length && input.valuesFrom === undefined)
      throw new RenderError('render.valuesFrom was not read from the cluster: the render cannot honour it', {
        file: chart.rel,
      });
    const missing = missingDependencies(chart);
    return withTempDir('helm', async (tmp) => {
      const chartDir = missing.length
        ? await vendorDependencies(chart, missing, tmp, this.tool.chartDependency)
        : chart.real;
      const files = valueFiles.map((f) => f.real);
      // Flux's order: the chart's values files, then valuesFrom in order, then the inline values.
      for (const [i, layer] of (input.valuesFrom ?? []).entries()) {
        const file = join(tmp, `values-from-${i}.json`);
        await writeFile(file, JSON.stringify(layer), { mode: 0o600 });
        files.push(file);
      }
      if (options.values) {
        // JSON is YAML, and a file keeps every value's type, which --set would guess at.
        await writeFile(join(tmp, 'values.json'), JSON.stringify(options.values));
        files.push(join(tmp, 'values.json'));
      }
      const args = helmTemplateArgs({
        releaseName: options.releaseName ?? input.appName,
        releaseNameFrom:
          options.releaseName === undefined
            ? "the Application's name (the default release name)"
            : 'releaseName',
        chart: chartDir,
        namespace: input.namespace,
        includeCrds: !options.skipCrds,
        valueFiles: files,
        parameters: options.parameters ?? [],
        file: chart.rel,
        ...(this.tool.capabilities ? { capabilities: this.tool.capabilities } : {}),
      });
      const output = await this.template(args, chart, tmp);
      const source = (named: string) => posix.join(chart.rel, named.slice(named.indexOf('/') + 1));
      const objects = parseManifests(output, { file: chart.rel, tool: 'helm template', source });
      return { objects, sources: [posix.join(chart.rel, 'Chart.yaml'), ...valueFiles.map((f) => f.rel)] };
    });
  }

  private async template(args: string[], chart: RepoPath, tmp: string): Promise<string> {
    // Helm's cache, config, data and kubeconfig all point into the temp dir: no repositories, registry
    // logins or plugins of the worker's user are seen, and nothing is written outside tmp.
    const env = {
      ...baseToolEnv(),
      HOME: join(tmp, 'home'),
      HELM_CACHE_HOME: join(tmp, 'cache'),
      HELM_CONFIG_HOME: join(tmp, 'config'),
      HELM_DATA_HOME: join(tmp, 'data'),
      KUBECONFIG: join(tmp, 'no-kubeconfig'),
    };
    const binary = this.tool.binary ?? findTool('helm');
    const run = {
      tool: 'helm',
      binary,
      args,
      cwd: chart.real,
      env,
      file: chart.rel,
      root: chart.root,
      action: 'helm template',
    };
    try {
      return await runTool(run, this.tool);
    } catch (e) {
      if (e instanceof RenderError && e.toolMessage?.includes('missing in charts/ directory'))
        throw new RenderError(
          `a chart dependency is missing from charts/ and names no repository to fetch it from: vendor it (\`helm dependency build\`, commit charts/) or give it an https://, oci:// or file:// repository (${e.toolMessage})`,
          { file: chart.rel, toolMessage: e.toolMessage, cause: e },
        );
      throw e;
    }
  }
}

async function valueFile(chart: RepoPath, file: string, refRoots: Record<string, string>): Promise<RepoPath> {
  // "$<ref>/path": a file of another source's checkout, resolved inside it (no '..', no symlink out).
  let ref: ValueFileRef | undefined;
  try {
    ref = parseValueFileRef(file);
  } catch (err) {
    if (err instanceof ValueFileRefError) throw new RenderError(err.message, { file: chart.rel });
    throw err;
  }
  if (ref) {
    const root = refRoots[ref.ref];
    if (root === undefined)
      throw new RenderError(`valueFiles entry ${JSON.stringify(file)}: no source has ref "${ref.ref}"`, {
        file: chart.rel,
      });
    const resolved = await resolveInRepo(root, ref.path, 'file').catch((err: unknown) => {
      throw err instanceof RenderError ? new RenderError(`${file}: ${err.message}`, { cause: err }) : err;
    });
    return { ...resolved, rel: `$${ref.ref}/${resolved.rel}` };
  }
  // helm would download a URL given to --values; Sluice reads values files from the repository only.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file))
    throw new RenderError(
      `valueFiles entry ${JSON.stringify(file)} is a URL; values files must be in the repository`,
      {
        file: chart.rel,
      },
    );
  return resolveInRepo(chart.root, posix.join(chart.rel, file), 'file');
}
