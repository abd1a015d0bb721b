// Flagger AlertProvider (flagger.app/v1beta1) → Sluice AlertProvider. Flagger keeps the webhook URL in
// the secret's `address` key, so its secretRef {name} becomes {name, key: address}. Flagger's Slack
// provider posts to an incoming webhook: it becomes `mode: webhook`. A Slack webhook URL written in
// `address` is a token in Git: it is not copied; the converted provider names a secret to create.
import { OriginMap } from '../origin.js';
import { type CompatContext, str } from './context.js';
import type { Conversion } from './conversion.js';

/** The secret a converted Slack provider with a literal webhook URL refers to; the user creates it. */
export function slackWebhookSecretName(provider: string): string {
  return `${provider}-slack-webhook`;
}

/** Converts a Flagger AlertProvider into a Sluice AlertProvider. */
export function convertFlaggerAlertProvider(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  const slack = c.peek('spec.type') === 'slack';
  let secretName = str(c.move(origin, 'spec.secretRef', 'spec.secretRef.name'));
  let address: unknown;
  if (!slack) address = c.move(origin, 'spec.address', 'spec.address');
  else if (secretName !== undefined)
    c.drop(
      'spec.address',
      "the secret's address key is the webhook URL (as in Flagger, it wins over address)",
    );
  else if (c.peek('spec.address') !== undefined) {
    secretName = slackWebhookSecretName(String(c.peek('metadata.name')));
    c.drop(
      'spec.address',
      `a Slack webhook URL carries its token and is not copied into the converted file: create the secret ${JSON.stringify(secretName)} with key "address" holding the URL in the worker's secret store (docs/security.md), then remove address from the Flagger file`,
    );
  }
  c.drop('spec.proxy', 'set an HTTP proxy in the worker environment (HTTPS_PROXY)');
  c.emit(
    'AlertProvider',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'AlertProvider',
      metadata: c.metadata(origin),
      spec: {
        type: c.move(origin, 'spec.type', 'spec.type'),
        ...(slack ? { mode: 'webhook' } : {}),
        channel: c.move(origin, 'spec.channel', 'spec.channel'),
        username: c.move(origin, 'spec.username', 'spec.username'),
        address,
        secretRef: secretName === undefined ? undefined : { name: secretName, key: 'address' },
      },
    },
    origin,
  );
  c.reportUnread();
}
