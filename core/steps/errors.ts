/** A Pipeline names a step plugin nobody registered. */
export class UnknownStepPluginError extends Error {
  override name = 'UnknownStepPluginError';
}

/** Two step plugins claim the same name. */
export class StepPluginClashError extends Error {
  override name = 'StepPluginClashError';
}
