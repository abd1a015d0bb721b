// Flux notification objects (notification.toolkit.fluxcd.io): a Provider becomes a Sluice AlertProvider;
// an Alert becomes an `alerts` entry on each Application converted from a Kustomization or HelmRelease it
// names (flux-common.ts), so the Alert document itself is only checked here.
import { OriginMap } from '../origin.js';
import { type CompatContext, findObject, list, str } from './context.js';
import type { Conversion } from './conversion.js';

/** Flux provider types and the Sluice AlertProvider type each becomes. */
const types: Record<string, string> = {
  slack: 'slack',
  msteams: 'msteams',
  discord: 'discord',
  generic: 'webhook',
};

/** Converts a Flux Provider into a Sluice AlertProvider. */
export function convertFluxProvider(c: Conversion, _ctx: CompatContext): void {
  const origin = new OriginMap();
  const metadata = c.metadata(origin);
  const type = str(c.take('spec.type')) ?? '';
  if (!types[type])
    c.error(
      'spec.type',
      `the ${type} provider is not converted`,
      'Sluice delivers to slack, msteams, discord and generic webhooks',
    );
  const secret = str(c.move(origin, 'spec.secretRef', 'spec.secretRef.name'));
  // Flux keeps the webhook URL in the secret's address key; a URL in Git carries its token for Slack and Teams.
  const literal = str(c.peek('spec.address'));
  if (literal !== undefined && type !== 'generic' && secret === undefined) {
    // Refused outright: a converted provider without the URL could only fail at its first alert.
    c.error(
      'spec.address',
      'a chat webhook URL carries its token and is not copied into a pipeline file',
      'put it in a secret with key "address" in the worker\'s secret store and name it in spec.secretRef',
    );
    c.reportUnread();
    return;
  }
  // With a secret, Flux takes the URL from the secret's address key over spec.address.
  if (type !== 'generic') c.drop('spec.address', "the secret's address key is the webhook URL (as in Flux)");
  const address = type === 'generic' ? c.move(origin, 'spec.address', 'spec.address') : undefined;
  c.drop('spec.proxy', 'set an HTTP proxy in the worker environment (HTTPS_PROXY)');
  c.drop('spec.certSecretRef', 'Sluice verifies TLS with the worker trust store');
  c.drop('spec.timeout', 'the alert plugin timeout decides this');
  c.drop('spec.suspend', 'remove the alerts that name it instead');
  c.emit(
    'AlertProvider',
    {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'AlertProvider',
      metadata,
      spec: {
        type: types[type],
        ...(type === 'slack' ? { mode: 'webhook' } : {}),
        channel: c.move(origin, 'spec.channel', 'spec.channel'),
        username: c.move(origin, 'spec.username', 'spec.username'),
        address,
        secretRef: secret === undefined ? undefined : { name: secret, key: 'address' },
      },
    },
    origin,
  );
  c.reportUnread();
}

/** Checks a Flux Alert; its Applications carry it (see alertsFor). */
export function convertFluxAlert(c: Conversion, ctx: CompatContext): void {
  c.metadata(new OriginMap());
  c.take('spec.providerRef.name');
  c.take('spec.eventSeverity');
  c.drop('spec.suspend', 'a suspended Alert is not carried to any Application');
  list(c.peek('spec.eventSources')).forEach((s, i) => {
    const at = `spec.eventSources.${i}`;
    const kind = (s as Record<string, unknown>)?.kind;
    c.take(`${at}.name`);
    c.take(`${at}.namespace`);
    c.take(`${at}.kind`);
    c.drop(`${at}.matchLabels`, 'Sluice alerts name their Applications; list them by name');
    const name = str((s as Record<string, unknown>)?.name);
    const group = kind === 'Kustomization' ? 'kustomize' : 'helm';
    const srcNs =
      str((s as Record<string, unknown>)?.namespace) ?? str(c.peek('metadata.namespace')) ?? 'default';
    if (
      (kind === 'Kustomization' || kind === 'HelmRelease') &&
      name !== '*' &&
      name !== undefined &&
      !findObject(ctx, `${group}.toolkit.fluxcd.io`, kind, srcNs, name)
    )
      c.warn(
        `${at}.name`,
        `${kind} "${name}" is not among the files converted: no Application announces through this Alert`,
      );
    if (kind !== 'Kustomization' && kind !== 'HelmRelease')
      c.warn(
        `${at}.kind`,
        `not converted: events of a ${String(kind)}; Sluice announces the syncs of Applications (converted Kustomizations and HelmReleases)`,
      );
  });
  for (const f of ['inclusionList', 'exclusionList', 'eventMetadata', 'summary'])
    c.drop(`spec.${f}`, "Sluice's alert messages are fixed per event; choose events by severity");
  c.reportUnread();
}
