import type { ActivityDeps } from '../../../activities/index.js';
import type { RolloutTarget } from '../../../activities/rollout/types.js';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { stackPaths } from '../../../scripts/stack/paths.js';
import { MeshTelemetry } from '../../../scripts/stack/simulators/mesh-telemetry.js';
import { routesOf } from './rollout.js';

/**
 * Mesh telemetry for one rollout: the fixture registered with the stack's Prometheus and scraped at least
 * once, serving 40 requests a second to the target, split as its traffic provider routes them now.
 */
export async function startRolloutTelemetry(
  deps: ActivityDeps,
  target: RolloutTarget,
): Promise<MeshTelemetry> {
  const config = loadStackConfig();
  const telemetry = await MeshTelemetry.start({ prometheusTargetsDir: stackPaths(config).prometheusTargets });
  try {
    // Analysis needs the fixture's series in Prometheus: a fresh stack picks the target up within seconds.
    await telemetry.waitScraped(`http://${config.host}:${config.ports.prometheus}`);
  } catch (err) {
    await telemetry.stop();
    throw err;
  }
  telemetry.addWorkload({
    namespace: target.namespace,
    target: target.target,
    rps: 40,
    routes: routesOf(deps, target),
  });
  return telemetry;
}
