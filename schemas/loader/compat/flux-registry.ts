// The Flux kinds Sluice converts, under each apiVersion Flux 2.x has served them.

import { convertFluxAlert, convertFluxProvider } from './flux-alert.js';
import { convertFluxHelmRelease } from './flux-helm-release.js';
import { convertFluxKustomization } from './flux-kustomization.js';
import {
  convertFluxGitRepository,
  convertFluxHelmRepository,
  convertFluxOCIRepository,
} from './flux-source.js';
import type { CompatKind } from './registry.js';

const kinds: [string[], string, CompatKind][] = [
  [
    ['kustomize.toolkit.fluxcd.io/v1', 'kustomize.toolkit.fluxcd.io/v1beta2'],
    'Kustomization',
    { label: 'Flux Kustomization', convert: convertFluxKustomization },
  ],
  [
    ['helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta2', 'helm.toolkit.fluxcd.io/v2beta1'],
    'HelmRelease',
    { label: 'Flux HelmRelease', convert: convertFluxHelmRelease },
  ],
  [
    ['source.toolkit.fluxcd.io/v1', 'source.toolkit.fluxcd.io/v1beta2'],
    'GitRepository',
    { label: 'Flux GitRepository', convert: convertFluxGitRepository },
  ],
  [
    ['source.toolkit.fluxcd.io/v1', 'source.toolkit.fluxcd.io/v1beta2'],
    'HelmRepository',
    { label: 'Flux HelmRepository', convert: convertFluxHelmRepository },
  ],
  [
    ['source.toolkit.fluxcd.io/v1', 'source.toolkit.fluxcd.io/v1beta2'],
    'OCIRepository',
    { label: 'Flux OCIRepository', convert: convertFluxOCIRepository },
  ],
  [
    ['notification.toolkit.fluxcd.io/v1beta3', 'notification.toolkit.fluxcd.io/v1beta2'],
    'Provider',
    { label: 'Flux Provider', convert: convertFluxProvider },
  ],
  [
    ['notification.toolkit.fluxcd.io/v1beta3', 'notification.toolkit.fluxcd.io/v1beta2'],
    'Alert',
    { label: 'Flux Alert', convert: convertFluxAlert },
  ],
];

/** Converters of Flux kinds by "apiVersion kind". */
export const fluxConverters: Record<string, CompatKind> = Object.fromEntries(
  kinds.flatMap(([versions, kind, compat]) => versions.map((v) => [`${v} ${kind}`, compat])),
);
