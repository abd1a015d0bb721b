// Flagger AlertProvider (flagger.app/v1beta1) → Sluice AlertProvider. Flagger keeps the webhook URL in
// the secret's `address` key, so its secretRef {name} becomes {name, key: address}.
import { OriginMap } from '../origin.js';
import { type CompatContext, str } from './context.js';
import type { Conversion } from './conversion.js';

/** Converts a Flagger AlertProvider into a Sluice AlertProvider. */
export function convertFlaggerAlertProvider(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  const secretName = str(c.move(origin, 'spec.secretRef', 'spec.secretRef.name'));
  c.drop('spec.proxy', 'set an HTTP proxy in the worker environment (HTTPS_PROXY)');
  c.emit(
    'AlertProvider',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'AlertProvider',
      metadata: c.metadata(origin),
      spec: {
        type: c.move(origin, 'spec.type', 'spec.type'),
        channel: c.move(origin, 'spec.channel', 'spec.channel'),
        username: c.move(origin, 'spec.username', 'spec.username'),
        address: c.move(origin, 'spec.address', 'spec.address'),
        secretRef: secretName === undefined ? undefined : { name: secretName, key: 'address' },
      },
    },
    origin,
  );
  c.reportUnread();
}
