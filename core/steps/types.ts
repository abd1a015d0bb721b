// The step plugin interface: what a Pipeline step of each `uses:` name takes, gives and where it runs.
// Definitions are pure data, so the loader (validation) and workflow code (dispatch) can both read them.

/** The type a step input must have once its expressions are resolved. */
export type StepInputType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'duration' | 'any';

/** One input of a step plugin (a key of the step's `with`). */
export interface StepInput {
  type: StepInputType;
  required?: boolean;
  description: string;
}

/** A step plugin: its inputs, its outputs (readable as `steps.<name>.outputs.<key>`) and where it runs. */
export interface StepPlugin {
  /** The name Pipeline files use in `uses:`. */
  readonly name: string;
  readonly description: string;
  /** `workflow`: durable waiting in the pipeline workflow (approve, wait); `activity`: a side effect. */
  readonly runsIn: 'workflow' | 'activity';
  /** Longest the step runs when the Pipeline sets no timeout (undefined: no limit). */
  readonly defaultTimeout?: string;
  readonly inputs: Record<string, StepInput>;
  /** Output names; `*` allows any (the webhook's parsed JSON body). */
  readonly outputs: Record<string, string>;
  /** Extra checks across inputs (one of two required…); messages name the field. */
  readonly check?: (inputs: Record<string, unknown>) => { field: string; message: string }[];
}
