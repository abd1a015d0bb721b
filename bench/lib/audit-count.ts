/** The fields of an audit event (audit.k8s.io/v1 Event) the benchmark counts by. */
export interface AuditEvent {
  auditID: string;
  stage: string;
  verb: string;
  user?: { username?: string };
  userAgent?: string;
  objectRef?: { resource?: string; subresource?: string; apiGroup?: string };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  responseStatus?: { code?: number };
}

/** One client's requests in a window: reads, writes, by "verb resource", and when its writes ran. */
export interface ClientRequests {
  reads: number;
  writes: number;
  byKey: Record<string, number>;
  /** First write received → last write answered, epoch ms; undefined without writes. */
  writeWindow?: { from: number; to: number };
  /** Requests answered 400 or more other than 404 (conflicts, throttling, errors; a 404 is a read of an object not there yet). */
  errors: number;
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/**
 * Who made a request: the user name, and for users shared by several programs (the stack's admin token is
 * used by the controller-manager, the scheduler, kwok and scripts) the program from the user agent.
 */
export function clientOf(e: AuditEvent, ownUsers: ReadonlySet<string>): string {
  const user = e.user?.username ?? '?';
  if (ownUsers.has(user)) return user;
  const program = (e.userAgent ?? '?').split('/')[0];
  return `${user} (${program})`;
}

/**
 * Counts requests received in [from, to] (epoch ms) per client, each request once (a watch logs a
 * ResponseStarted and a ResponseComplete event under one auditID). Lines that are not events are skipped.
 */
export function countAudit(
  lines: string[],
  window: { from: number; to: number },
  ownUsers: ReadonlySet<string>,
): Record<string, ClientRequests> {
  const seen = new Set<string>();
  const out: Record<string, ClientRequests> = {};
  for (const line of lines) {
    let e: AuditEvent;
    try {
      e = JSON.parse(line) as AuditEvent;
    } catch {
      continue;
    }
    const received = Date.parse(e.requestReceivedTimestamp);
    if (!(received >= window.from && received <= window.to) || seen.has(e.auditID)) continue;
    seen.add(e.auditID);
    const who = clientOf(e, ownUsers);
    const c = out[who] ?? { reads: 0, writes: 0, byKey: {}, errors: 0 };
    out[who] = c;
    const ref = e.objectRef;
    const resource = ref
      ? [ref.apiGroup, ref.resource, ref.subresource].filter(Boolean).join('/')
      : '(non-resource)';
    const key = `${e.verb} ${resource}`;
    c.byKey[key] = (c.byKey[key] ?? 0) + 1;
    const code = e.responseStatus?.code ?? 0;
    if (code >= 400 && code !== 404) c.errors++;
    if (!WRITE_VERBS.has(e.verb)) {
      c.reads++;
      continue;
    }
    c.writes++;
    const done = Date.parse(e.stageTimestamp);
    c.writeWindow = {
      from: Math.min(c.writeWindow?.from ?? received, received),
      to: Math.max(c.writeWindow?.to ?? done, done),
    };
  }
  return out;
}

/** Writes per second over a client's write window: its apply phase's throughput. */
export function writesPerSecond(c: ClientRequests | undefined): number {
  if (!c?.writeWindow) return 0;
  const s = (c.writeWindow.to - c.writeWindow.from) / 1000;
  return s > 0 ? c.writes / s : c.writes;
}
