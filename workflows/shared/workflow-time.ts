// The one place workflow code reads the clock. Inside Temporal's workflow sandbox `Date` is replaced
// by workflow time (the start of the current workflow task, recorded in history), so this is
// deterministic on replay; everywhere else in workflows/ the lint rule keeps `Date` out.

/** Workflow time in milliseconds since the epoch (deterministic on replay). */
export function workflowNow(): number {
  // biome-ignore lint/style/noRestrictedGlobals: sandboxed Date is Temporal's deterministic workflow clock
  return Date.now();
}
