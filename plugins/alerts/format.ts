// Text shared by every alert plugin: titles, facts and colours of an event.
import type { EventType, Severity, SluiceEvent } from '../../core/events/event.js';

const labels: Record<EventType, string> = {
  'sync.started': 'Sync started',
  'sync.succeeded': 'Sync succeeded',
  'sync.failed': 'Sync failed',
  'sync.degraded': 'Application degraded',
  'drift.healed': 'Drift healed',
  'application.drifted': 'Application drifted',
  'application.recovered': 'Application healthy again',
  'application.removed': 'Application removed',
  'application.suspended': 'Automation suspended',
  'application.resumed': 'Automation resumed',
  'rollout.handedBack': 'Progressive delivery stopped',
  'rollout.started': 'Rollout started',
  'rollout.stepAdvanced': 'Rollout step advanced',
  'rollout.paused': 'Rollout paused',
  'rollout.checkFailed': 'Rollout check failed',
  'rollout.promoted': 'Rollout promoted',
  'rollout.rolledBack': 'Rollout rolled back',
  'rollout.failed': 'Rollout failed',
  'pipeline.invalid': 'Invalid pipeline commit',
  'repository.unreachable': 'Repository unreachable',
};

const icons: Record<Severity, string> = { info: 'ℹ️', warn: '⚠️', error: '🚨' };

/** Hex colours by severity (Slack's good / warning / danger). */
export const severityColors: Record<Severity, string> = {
  info: '#2EB886',
  warn: '#DAA038',
  error: '#A30200',
};

/** "🚨 Rollout rolled back · shop". */
export function eventTitle(e: SluiceEvent): string {
  const icon = e.type === 'rollout.promoted' || e.type === 'sync.succeeded' ? '✅' : icons[e.severity];
  return `${icon} ${labels[e.type as EventType] ?? e.type} · ${e.subject}`;
}

/** Label/value pairs worth showing: revision, weight, failed metric and the event's own fields. */
export function eventFacts(e: SluiceEvent): [string, string][] {
  const facts: [string, string][] = [['Application', e.subject]];
  if (e.revision) facts.push(['Revision', e.revision.slice(0, 12)]);
  facts.push(['Severity', e.severity]);
  if (e.weight !== undefined) facts.push(['Canary weight', `${e.weight}%`]);
  if (e.metric) {
    facts.push(['Failed metric', e.metric.name]);
    facts.push(['Value', String(e.metric.value)]);
    facts.push(['Threshold', e.metric.threshold]);
  }
  for (const [k, v] of Object.entries(e.fields ?? {})) facts.push([k, String(v)]);
  return facts;
}

/** Cuts text to max characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
