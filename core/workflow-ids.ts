// Every workflow ID Sluice builds, in one place: workflows, activities, the CLI and tests all ask here.
// IDs carry the repository id the object was declared in, so two repositories can never address the
// same workflow (docs/security.md, "Identity").

/** The readable id of an object declared in a repository: `<repoId>/<name>`. */
export function declaredId(repoId: string, name: string): string {
  return `${repoId}/${name}`;
}

/** The workflow ID of an Application's long-lived workflow. */
export function applicationWorkflowId(repoId: string, name: string): string {
  return `app/${declaredId(repoId, name)}`;
}

/** The workflow ID of one sync of an application: `sync/<repoId>/<app>/<sha7>-<id>`. */
export function syncWorkflowId(repoId: string, app: string, revision: string, id: number): string {
  return `sync/${declaredId(repoId, app)}/${revision.slice(0, 7)}-${id}`;
}

/** The workflow ID of a rollout: `rollout/<repoId>/<app>/<sha7>-<checksum6>`. */
export function rolloutWorkflowId(repoId: string, app: string, revision: string, checksum: string): string {
  return `rollout/${declaredId(repoId, app)}/${revision.slice(0, 7)}-${checksum.slice(0, 6)}`;
}

/** The workflow ID of a repository's watcher. */
export function repoWatcherId(repoId: string): string {
  return `repo/${repoId}`;
}

/** The workflow ID of one run of a Pipeline: `pipeline/<repoId>/<name>/<run>`. */
export function pipelineWorkflowId(repoId: string, pipeline: string, run: string): string {
  return `pipeline/${declaredId(repoId, pipeline)}/${run}`;
}

/** The workflow ID of a Pipeline's trigger workflow. */
export function pipelineTriggerId(repoId: string, pipeline: string): string {
  return `pipeline-trigger/${declaredId(repoId, pipeline)}`;
}

/** The schedule ID of a Pipeline's cron trigger. */
export function pipelineScheduleId(repoId: string, pipeline: string): string {
  return `pipeline-schedule/${declaredId(repoId, pipeline)}`;
}

/** The workflow ID of a Pipeline's run lock. */
export function pipelineLockId(repoId: string, pipeline: string): string {
  return `pipeline-lock/${declaredId(repoId, pipeline)}`;
}

/** The workflow ID of an ImagePolicy's workflow: `image-policy/<repoId>/<namespace>/<name>`. */
export function imagePolicyWorkflowId(repoId: string, namespace: string, name: string): string {
  return `image-policy/${declaredId(repoId, `${namespace}/${name}`)}`;
}
