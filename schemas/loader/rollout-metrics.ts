// Where a Rollout lists metric checks: one place, so the rules and the MetricTemplate references see the same lists.
import { type Path, valueAt } from './path.js';

/** Every metric list of a Rollout with its path: spec.analysis, each canary analysis step, blue/green's post-switch. */
export function rolloutMetricLists(spec: unknown): { path: Path; list: unknown }[] {
  const lists: { path: Path; list: unknown }[] = [
    { path: ['spec', 'analysis', 'metrics'], list: valueAt(spec, ['analysis', 'metrics']) },
  ];
  const steps = valueAt(spec, ['strategy', 'canary', 'steps']);
  if (Array.isArray(steps))
    steps.forEach((s, i) => {
      lists.push({
        path: ['spec', 'strategy', 'canary', 'steps', i, 'analysis', 'metrics'],
        list: valueAt(s, ['analysis', 'metrics']),
      });
    });
  const post = ['strategy', 'blueGreen', 'postSwitchAnalysis', 'metrics'];
  lists.push({ path: ['spec', ...post], list: valueAt(spec, post) });
  return lists;
}
