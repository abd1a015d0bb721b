import type { HealthStatus } from './types.js';
import { field, findCondition, list, type Obj, str } from './unstructured.js';

// Waiting reasons that will not clear by themselves: CrashLoopBackOff, ImagePullBackOff, ErrImagePull,
// CreateContainerConfigError, InvalidImageName, …
function isStuck(reason: string): boolean {
  return (
    reason.startsWith('Err') ||
    reason.endsWith('Error') ||
    reason.endsWith('BackOff') ||
    reason.startsWith('Invalid')
  );
}

function containerStatuses(obj: Obj): unknown[] {
  return [...list(obj, 'status', 'initContainerStatuses'), ...list(obj, 'status', 'containerStatuses')];
}

function stuckMessages(obj: Obj): string[] {
  return containerStatuses(obj).flatMap((c) => {
    const reason = str(c, 'state', 'waiting', 'reason');
    if (!reason || !isStuck(reason)) return [];
    const detail = str(c, 'state', 'waiting', 'message');
    return [`container "${str(c, 'name')}": ${reason}${detail ? `: ${detail}` : ''}`];
  });
}

function failMessage(obj: Obj): string | undefined {
  for (const c of containerStatuses(obj)) {
    const terminated = field(c, 'state', 'terminated');
    if (!terminated) continue;
    const message = str(terminated, 'message');
    if (message) return message;
    if (str(terminated, 'reason') === 'OOMKilled') return `container "${str(c, 'name')}" was OOMKilled`;
    const exitCode = field(terminated, 'exitCode');
    if (exitCode !== 0) return `container "${str(c, 'name')}" failed with exit code ${exitCode}`;
  }
  return undefined;
}

/**
 * Pod health by phase. Only a pod that restarts forever (restartPolicy Always, the default) is Degraded
 * while a container is stuck waiting: a run-to-completion pod (Never/OnFailure, e.g. a sync hook) may
 * still recover, and stays Progressing while it runs; it is Healthy only once it Succeeded.
 */
export function podHealth(obj: Obj): HealthStatus {
  const restartAlways = (str(obj, 'spec', 'restartPolicy') ?? 'Always') === 'Always';
  const podMessage = str(obj, 'status', 'message');
  if (restartAlways) {
    const stuck = stuckMessages(obj);
    if (stuck.length > 0) return { status: 'Degraded', message: stuck.join('; ') };
  }
  switch (str(obj, 'status', 'phase')) {
    case 'Pending':
      return { status: 'Progressing', message: podMessage ?? findCondition(obj, 'PodScheduled')?.message };
    case 'Succeeded':
      return { status: 'Healthy', message: podMessage };
    case 'Failed':
      return { status: 'Degraded', message: podMessage ?? failMessage(obj) };
    case 'Running': {
      if (!restartAlways)
        return { status: 'Progressing', message: podMessage ?? 'Pod is running to completion' };
      if (findCondition(obj, 'Ready')?.status === 'True') return { status: 'Healthy', message: podMessage };
      const crashed = list(obj, 'status', 'containerStatuses').some((c) =>
        field(c, 'lastState', 'terminated'),
      );
      if (crashed)
        return {
          status: 'Degraded',
          message: podMessage ?? 'a container terminated and the pod is not ready',
        };
      return { status: 'Progressing', message: podMessage ?? 'Waiting for the pod to be ready' };
    }
    default:
      return { status: 'Unknown', message: podMessage ?? 'Pod phase is unknown' };
  }
}
