// Which Flagger, Argo and Flux kinds are read, and by which converter. Other kinds of these API groups
// (Experiment, …) are listed as ignored.
import { convertArgoAnalysisTemplate } from './argo-analysis-template.js';
import { convertArgoRollout } from './argo-rollout.js';
import { convertArgoCDAppProject } from './argocd-app-project.js';
import { convertArgoCDApplication } from './argocd-application.js';
import { convertArgoCDApplicationSet } from './argocd-application-set.js';
import type { Converter } from './context.js';
import { convertFlaggerAlertProvider } from './flagger-alert-provider.js';
import { convertFlaggerCanary } from './flagger-canary.js';
import { convertFlaggerMetricTemplate } from './flagger-metric-template.js';
import { fluxConverters } from './flux-registry.js';

/** A converter and how messages name the original kind. */
export interface CompatKind {
  label: string;
  convert: Converter;
}

const converters: Record<string, CompatKind> = {
  'flagger.app/v1beta1 Canary': { label: 'Flagger Canary', convert: convertFlaggerCanary },
  'flagger.app/v1beta1 MetricTemplate': {
    label: 'Flagger MetricTemplate',
    convert: convertFlaggerMetricTemplate,
  },
  'flagger.app/v1beta1 AlertProvider': {
    label: 'Flagger AlertProvider',
    convert: convertFlaggerAlertProvider,
  },
  'argoproj.io/v1alpha1 Application': { label: 'Argo CD Application', convert: convertArgoCDApplication },
  'argoproj.io/v1alpha1 ApplicationSet': {
    label: 'Argo CD ApplicationSet',
    convert: convertArgoCDApplicationSet,
  },
  'argoproj.io/v1alpha1 AppProject': { label: 'Argo CD AppProject', convert: convertArgoCDAppProject },
  'argoproj.io/v1alpha1 Rollout': { label: 'Argo Rollouts Rollout', convert: convertArgoRollout },
  'argoproj.io/v1alpha1 AnalysisTemplate': {
    label: 'Argo Rollouts AnalysisTemplate',
    convert: convertArgoAnalysisTemplate,
  },
  'argoproj.io/v1alpha1 ClusterAnalysisTemplate': {
    label: 'Argo Rollouts ClusterAnalysisTemplate',
    convert: convertArgoAnalysisTemplate,
  },
  ...fluxConverters,
};

/** The apiVersions whose documents are converted (for the kinds above). */
export const compatApiVersions = new Set(Object.keys(converters).map((k) => k.split(' ')[0]));

/** The converter for an apiVersion and kind, or undefined. */
export function compatKind(apiVersion: string, kind: string): CompatKind | undefined {
  return converters[`${apiVersion} ${kind}`];
}

/** The apiVersions of the same API group under which Sluice converts this kind (none when it converts no version). */
export function convertedVersionsOf(apiVersion: string, kind: string): string[] {
  const group = apiVersion.split('/')[0];
  return Object.keys(converters)
    .map((k) => k.split(' '))
    .filter(([v, k]) => k === kind && v?.split('/')[0] === group)
    .map(([v]) => v as string);
}
