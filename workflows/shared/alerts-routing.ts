// Pure alert routing for workflows: which providers hear an event, which events collapse, which
// Slack thread a rollout's events go to. The state is plain data kept in the workflow (and carried
// through continue-as-new), so it survives worker crashes.
import type { AlertProviderRef } from '../../activities/alerts/deliver.js';
import { type Severity, type SluiceEvent, severityRank } from '../../core/events/event.js';
import type { Caller } from '../../core/identity.js';
import type { ThreadRef } from '../../plugins/alerts/provider.js';
import type { Alert, AlertProvider } from '../../schemas/types.generated.js';
import { stableHash } from './stable-hash.js';

/** One `alerts` entry resolved to its AlertProvider. */
export interface AlertRoute {
  /** The alert entry's name. */
  alert: string;
  /** Lowest severity announced (default info). */
  severity: Severity;
  provider: AlertProviderRef;
  /** Whose alert it is: the provider's secret is used under this repository's and Project's grants. */
  caller: Caller;
}

/** What notify remembers between events: a sequence for event ids, recent events, open threads. */
export interface AlertState {
  seq: number;
  /** Collapse key → when it was last sent (workflow time, ms) and how many repeats were dropped since. */
  recent: Record<string, { at: number; suppressed: number }>;
  /** `<provider>|<app>@<revision>` → the Slack thread of that rollout. */
  threads: Record<string, ThreadRef>;
}

/** Default window within which identical events for the same app are sent once. */
export const DEFAULT_COLLAPSE_WINDOW_MS = 5 * 60_000;

/** An empty alert state. */
export function newAlertState(): AlertState {
  return { seq: 0, recent: {}, threads: {} };
}

/** Resolves `alerts` entries to their AlertProviders (by name, in `namespace` unless the ref names one); unknown refs are listed, not thrown. */
export function resolveAlertRoutes(
  alerts: Alert[] | undefined,
  providers: AlertProvider[],
  caller: Caller,
  namespace = 'default',
): { routes: AlertRoute[]; missing: string[] } {
  const routes: AlertRoute[] = [];
  const missing: string[] = [];
  for (const a of alerts ?? []) {
    const ns = a.providerRef.namespace ?? namespace;
    const p = providers.find(
      (x) => x.metadata.name === a.providerRef.name && (x.metadata.namespace ?? 'default') === ns,
    );
    if (p)
      routes.push({
        alert: a.name,
        severity: a.severity ?? 'info',
        provider: { name: p.metadata.name, spec: p.spec },
        caller,
      });
    else missing.push(`${a.name}: AlertProvider ${ns}/${a.providerRef.name} not found`);
  }
  return { routes, missing };
}

/** Routes whose severity admits the event (info = all, warn = warn+error, error = error), one per provider. */
export function routesFor(routes: AlertRoute[], event: SluiceEvent): AlertRoute[] {
  const byProvider = new Map<string, AlertRoute>();
  for (const r of routes) {
    if (severityRank(event.severity) < severityRank(r.severity)) continue;
    if (!byProvider.has(r.provider.name)) byProvider.set(r.provider.name, r);
  }
  return [...byProvider.values()];
}

/** Identity of an event for collapsing: same app, kind, revision, message and facts. */
export function collapseKey(event: SluiceEvent): string {
  const { subject, type, revision, severity, message, fields, weight, metric } = event;
  return `${subject}|${type}|${revision ?? ''}|${stableHash({ severity, message, fields, weight, metric })}`;
}

/**
 * Records an event against the window: `send: false` for a repeat within `windowMs` of the last one
 * sent, else `send: true` with the number of repeats dropped since that one. Forgets old keys.
 */
export function admit(
  state: AlertState,
  event: SluiceEvent,
  now: number,
  windowMs = DEFAULT_COLLAPSE_WINDOW_MS,
): { send: boolean; suppressed: number } {
  for (const [k, v] of Object.entries(state.recent)) {
    // A key with dropped repeats is kept a while longer, so the next one sent can say how many there were.
    if (now - v.at >= (v.suppressed > 0 ? 10 * windowMs : windowMs)) delete state.recent[k];
  }
  const key = collapseKey(event);
  const seen = state.recent[key];
  if (seen && now - seen.at < windowMs) {
    seen.suppressed++;
    return { send: false, suppressed: seen.suppressed };
  }
  state.recent[key] = { at: now, suppressed: 0 };
  return { send: true, suppressed: seen?.suppressed ?? 0 };
}

/** The thread a rollout event belongs to for a provider; undefined for events that are not about a rollout. */
export function threadKey(providerName: string, event: SluiceEvent): string | undefined {
  if (!event.type.startsWith('rollout.')) return undefined;
  return `${providerName}|${event.subject}@${event.revision ?? ''}`;
}
