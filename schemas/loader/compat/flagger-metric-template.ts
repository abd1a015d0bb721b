// Flagger MetricTemplate (flagger.app/v1beta1) → Sluice MetricTemplate: the same shape, with Sluice's
// single-key secretRef.
import { OriginMap } from '../origin.js';
import type { CompatContext } from './context.js';
import type { Conversion } from './conversion.js';

/** Converts a Flagger MetricTemplate into a Sluice MetricTemplate. */
export function convertFlaggerMetricTemplate(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  if (c.peek('spec.provider.secretRef') !== undefined)
    c.error(
      'spec.provider.secretRef',
      'Flagger reads several keys (username and password, or token) from this secret; Sluice sends one bearer token',
      'write a Sluice MetricTemplate with secretRef {name, key} naming the token',
    );
  c.drop('spec.provider.insecureSkipVerify', 'Sluice always verifies TLS certificates');
  c.emit(
    'MetricTemplate',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'MetricTemplate',
      metadata: c.metadata(origin),
      spec: {
        provider: {
          type: c.move(origin, 'spec.provider.type', 'spec.provider.type'),
          address: c.move(origin, 'spec.provider.address', 'spec.provider.address'),
        },
        query: c.move(origin, 'spec.query', 'spec.query'),
      },
    },
    origin,
  );
  c.reportUnread();
}
