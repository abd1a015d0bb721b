// The Sluice kinds and their JSON Schemas: the one place that lists them, for the loader, the type
// generator and the tests.
import alertProvider from './alert-provider.json' with { type: 'json' };
import application from './application.json' with { type: 'json' };
import applicationSet from './application-set.json' with { type: 'json' };
import imagePolicy from './image-policy.json' with { type: 'json' };
import imageRepository from './image-repository.json' with { type: 'json' };
import imageUpdateAutomation from './image-update-automation.json' with { type: 'json' };
import metricTemplate from './metric-template.json' with { type: 'json' };
import pipeline from './pipeline.json' with { type: 'json' };
import project from './project.json' with { type: 'json' };
import rollout from './rollout.json' with { type: 'json' };

/** The apiVersion every Sluice pipeline file carries. */
export const sluiceApiVersion = 'sluice.dev/v1alpha1';

/** Each Sluice kind with its schema file (relative to schemas/) and schema. */
export const kindSchemas = {
  Application: { file: 'application.json', schema: application },
  Rollout: { file: 'rollout.json', schema: rollout },
  MetricTemplate: { file: 'metric-template.json', schema: metricTemplate },
  AlertProvider: { file: 'alert-provider.json', schema: alertProvider },
  Project: { file: 'project.json', schema: project },
  Pipeline: { file: 'pipeline.json', schema: pipeline },
  ApplicationSet: { file: 'application-set.json', schema: applicationSet },
  ImageRepository: { file: 'image-repository.json', schema: imageRepository },
  ImagePolicy: { file: 'image-policy.json', schema: imagePolicy },
  ImageUpdateAutomation: { file: 'image-update-automation.json', schema: imageUpdateAutomation },
} as const;

/** Name of a Sluice kind. */
export type SluiceKind = keyof typeof kindSchemas;

/** The Sluice kinds, in the order summaries list them. */
export const sluiceKinds = Object.keys(kindSchemas) as SluiceKind[];

/** True when kind names a Sluice kind. */
export function isSluiceKind(kind: unknown): kind is SluiceKind {
  return typeof kind === 'string' && Object.hasOwn(kindSchemas, kind);
}
