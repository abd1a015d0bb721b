// The step plugin interface: what a Pipeline step of each `uses:` name takes, gives and where it runs.
// Definitions are pure data, so the loader (validation), workflow code (dispatch, default timeouts)
// and the step activities (one per activity step) all read this one catalogue.

/** The type a step input must have once its expressions are resolved. */
export type StepInputType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'duration' | 'any';

/** One input of a step plugin (a key of the step's `with`). */
export interface StepInput {
  type: StepInputType;
  required?: boolean;
  description: string;
}

/** The activities that run Pipeline steps with side effects (keys of activities/steps' stepActivities). */
export type StepActivityName =
  | 'stepSync'
  | 'stepRolloutWait'
  | 'stepWebhook'
  | 'stepAnalysis'
  | 'stepGitUpdate';

/** What every step plugin declares, wherever it runs. */
interface StepPluginBase {
  /** The name Pipeline files use in `uses:`. */
  readonly name: string;
  readonly description: string;
  readonly inputs: Record<string, StepInput>;
  /** Output names; `*` allows any (the webhook's parsed JSON body). */
  readonly outputs: Record<string, string>;
  /** Extra checks across inputs (one of two required…); messages name the field. */
  readonly check?: (inputs: Record<string, unknown>) => { field: string; message: string }[];
}

/** A step that waits durably in the pipeline workflow itself (approve, wait, alert). */
export interface WorkflowStepPlugin extends StepPluginBase {
  readonly runsIn: 'workflow';
}

/** A step with side effects: the pipeline workflow dispatches it to `activity` with `defaultTimeout`. */
export interface ActivityStepPlugin extends StepPluginBase {
  readonly runsIn: 'activity';
  /** The activity that runs it. */
  readonly activity: StepActivityName;
  /** Longest the step runs when the Pipeline sets no timeout (its activity's start-to-close timeout). */
  readonly defaultTimeout: string;
}

/** A step plugin: its inputs, its outputs (readable as `steps.<name>.outputs.<key>`) and where it runs. */
export type StepPlugin = WorkflowStepPlugin | ActivityStepPlugin;
