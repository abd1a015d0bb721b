// The `helm template` command line. Every value a pipeline file chose is checked here and passed either
// as the value of an `--option=value` token or after `--`, so none can be read as a flag
// (`releaseName: --post-renderer=sh` once ran a shell on the worker).
import application from '../../schemas/application.json' with { type: 'json' };
import { type ClusterCapabilities, validCapabilities } from './capabilities.js';
import { RenderError } from './renderer.js';

const helm = application.$defs.renderHelm.properties;

/** Helm's own rule for release names (chartutil.ValidateReleaseName), from the Application schema. */
export const helmReleaseName = new RegExp(helm.releaseName.pattern, 'u');
/** Helm keeps 10 of Kubernetes' 63 characters for the suffixes charts add to the release name. */
export const helmReleaseNameMax = helm.releaseName.maxLength;
/** A --set key: no '=' or ',' (they would end the key or start another assignment), no leading '-', no whitespace. */
export const helmParameterName = new RegExp(helm.parameters.items.properties.name.pattern, 'u');

const namespaceName = new RegExp(application.$defs.name.pattern, 'u');

/** What `helm template` is asked to do; the chart and value files are absolute paths resolved inside the repository. */
export interface HelmTemplateCall {
  releaseName: string;
  /** Where releaseName came from, for messages ("render.releaseName", or the Application's name). */
  releaseNameFrom: string;
  chart: string;
  namespace: string;
  includeCrds: boolean;
  valueFiles: string[];
  parameters: { name: string; value: string }[];
  /** The chart folder relative to the repository, for messages. */
  file: string;
  /** The destination cluster's version and API versions (.Capabilities); helm's defaults when absent. */
  capabilities?: ClusterCapabilities;
}

/** The argv of `helm template` for a call, after checking every value a pipeline file chose. */
export function helmTemplateArgs(call: HelmTemplateCall): string[] {
  const fail = (message: string) => new RenderError(message, { file: call.file });
  const name = call.releaseName;
  if (name.length > helmReleaseNameMax || !helmReleaseName.test(name))
    throw fail(
      `${call.releaseNameFrom} ${JSON.stringify(name)} is not a Helm release name: Helm allows lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most ${helmReleaseNameMax} characters`,
    );
  if (call.namespace.length > application.$defs.name.maxLength || !namespaceName.test(call.namespace))
    throw fail(`namespace ${JSON.stringify(call.namespace)} is not a Kubernetes namespace name`);
  const args = ['template', `--namespace=${call.namespace}`];
  if (call.capabilities) {
    // Built by the worker from discovery; checked here too, since this is where they become arguments.
    if (!validCapabilities(call.capabilities))
      throw fail('the destination cluster answered a version or API version helm cannot take');
    args.push(`--kube-version=${call.capabilities.kubeVersion}`);
    for (const v of call.capabilities.apiVersions) args.push(`--api-versions=${v}`);
  }
  if (call.includeCrds) args.push('--include-crds');
  for (const f of call.valueFiles) args.push(`--values=${f}`);
  for (const p of call.parameters) {
    if (!helmParameterName.test(p.name))
      throw fail(
        `parameters name ${JSON.stringify(p.name)} is not a value path: it may not start with '-' or contain '=', ',' or whitespace`,
      );
    args.push(`--set=${p.name}=${escapeSetValue(p.value)}`);
  }
  // Positional arguments after `--`: even a name that passed no check could not become a flag here.
  args.push('--', name, call.chart);
  return args;
}

/** Escapes the commas --set would split on, as Argo CD does; a {a,b} list value is left as a list. */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  return value.replace(/(?<!\\),/g, '\\,');
}
