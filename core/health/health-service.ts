import type { HealthStatus } from './types.js';
import { list, type Obj, str } from './unstructured.js';

/** Service health: a LoadBalancer waits for its address; every other type is Healthy once it exists. */
export function serviceHealth(obj: Obj): HealthStatus {
  if (str(obj, 'spec', 'type') !== 'LoadBalancer') return { status: 'Healthy' };
  const ingress = list(obj, 'status', 'loadBalancer', 'ingress');
  if (ingress.length === 0)
    return { status: 'Progressing', message: 'Waiting for the load balancer address' };
  const addresses = ingress.map((i) => str(i, 'ip') ?? str(i, 'hostname')).filter(Boolean);
  return { status: 'Healthy', message: `Load balancer at ${addresses.join(', ')}` };
}
