import type { HealthStatus } from './types.js';
import { list, type Obj, str } from './unstructured.js';

/**
 * Ingress health: Healthy once it exists, with its address when the controller reports one. Argo CD
 * waits for status.loadBalancer.ingress, but many controllers (and clusters without a load balancer,
 * such as the local stack) never set it, which leaves applications Progressing for ever; whoever needs
 * the wait can add a custom check: `current: "size(self.status.?loadBalancer.?ingress.orValue([])) > 0"`.
 */
export function ingressHealth(obj: Obj): HealthStatus {
  const addresses = list(obj, 'status', 'loadBalancer', 'ingress')
    .map((i) => str(i, 'ip') ?? str(i, 'hostname'))
    .filter(Boolean);
  if (addresses.length === 0) return { status: 'Healthy', message: 'No load balancer address reported' };
  return { status: 'Healthy', message: `Load balancer at ${addresses.join(', ')}` };
}
