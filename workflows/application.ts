import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

/** The desired state of one Application as the repository watcher last read it. */
export interface DesiredApplication {
  name: string;
  project: string;
  /** Commit SHA of the pipeline files this spec came from. */
  revision: string;
  /** The Application's spec exactly as validated (source, destination, syncPolicy, rollout…). */
  spec: Record<string, unknown>;
  /** Where it was declared, for messages: "apps/web.yaml:3". */
  source: string;
}

/** Input of the application workflow; `updates` carries the count across continue-as-new. */
export interface ApplicationInput {
  desired: DesiredApplication;
  updates?: number;
}

/** What `status` answers. */
export interface ApplicationStatus {
  name: string;
  project: string;
  revision: string;
  source: string;
  /** How many times the watcher handed it a new revision or spec. */
  updates: number;
  phase: 'Watching' | 'Stopped';
}

/** The watcher sends a new desired state (new commit or changed spec). */
export const applicationUpdateSignal = defineSignal<[DesiredApplication]>('applicationUpdate');
/** The watcher stops the application: it was removed from Git. */
export const applicationStopSignal = defineSignal<[{ reason: string }]>('applicationStop');
/** Current desired state and phase. */
export const applicationStatusQuery = defineQuery<ApplicationStatus>('status');

/**
 * One long-lived workflow per Application (`app/<project>/<name>`): holds the desired state the
 * repository watcher hands it and ends when the Application leaves Git. The sync engine (render,
 * diff, apply, health) is the next step; it will run as a child of this workflow per revision.
 */
export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationStatus> {
  let desired = input.desired;
  let updates = input.updates ?? 0;
  let stopped = false;
  const status = (): ApplicationStatus => ({
    name: desired.name,
    project: desired.project,
    revision: desired.revision,
    source: desired.source,
    updates,
    phase: stopped ? 'Stopped' : 'Watching',
  });
  setHandler(applicationUpdateSignal, (next) => {
    desired = next;
    updates++;
  });
  setHandler(applicationStopSignal, () => {
    stopped = true;
  });
  setHandler(applicationStatusQuery, status);

  await condition(() => stopped || workflowInfo().continueAsNewSuggested);
  if (!stopped) {
    await condition(allHandlersFinished);
    await continueAsNew<typeof applicationWorkflow>({ desired, updates });
  }
  return status();
}
