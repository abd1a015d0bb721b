import { log } from '@temporalio/activity';
import type { SluiceEvent } from '../../core/events/event.js';

/**
 * Records an event as a structured log line. Alert providers (Slack, Teams, Discord, webhook) hook in
 * here when they land; until then the worker log is the sink.
 */
export async function emitEvent(event: SluiceEvent): Promise<void> {
  const level = event.severity === 'error' ? 'error' : event.severity === 'warn' ? 'warn' : 'info';
  log[level](event.message, {
    event: event.type,
    subject: event.subject,
    revision: event.revision,
    ...event.fields,
  });
}
