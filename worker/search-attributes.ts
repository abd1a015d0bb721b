// Sluice's workflows set four custom search attributes; a namespace without them rejects the first
// workflow start with a bare INVALID_ARGUMENT. The worker (and `sluice temporal setup`) registers the
// missing ones, and where it may not (Temporal Cloud API keys usually cannot), says what to run.
import type { Connection } from '@temporalio/client';

/** The part of a connection the check uses (a Client's connection has it). */
type OperatorConnection = Pick<Connection, 'operatorService'>;

import { sluiceSearchAttributeKeys } from '../workflows/shared/search-attributes.js';
import type { LogFn } from './logger.js';

/** What a check found: the attributes already there and the ones it registered. */
export interface SearchAttributesResult {
  present: string[];
  registered: string[];
}

/** The namespace lacks Sluice's search attributes and this connection may not add them. */
export class SearchAttributesMissingError extends Error {
  override name = 'SearchAttributesMissingError';
}

/** The API's IndexedValueType numbers (temporal.api.enums.v1; the SDK keeps its encoder internal). */
const indexedValueType: Record<string, number> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

/** gRPC codes that mean "not allowed here", not "try again": PERMISSION_DENIED, UNIMPLEMENTED, UNAUTHENTICATED. */
const deniedCodes = new Set<number>([7, 12, 16]);

function denied(err: unknown): boolean {
  return deniedCodes.has((err as { code?: number }).code ?? -1);
}

/** The commands that register the attributes by hand: the Temporal CLI for self-hosted, tcld for Temporal Cloud. */
export function registerCommands(namespace: string, names: readonly string[]): string[] {
  const byType = names.map((n) => ({ name: n, type: typeOf(n) }));
  return [
    `temporal operator search-attribute create --namespace ${namespace} ${byType.map((a) => `--name ${a.name} --type ${a.type}`).join(' ')}`,
    `tcld namespace search-attributes add --namespace ${namespace} ${byType.map((a) => `--search-attribute "${a.name}=${a.type}"`).join(' ')}`,
  ];
}

/** The Temporal CLI's name of an SDK search attribute type: KEYWORD → Keyword, KEYWORD_LIST → KeywordList. */
export function cliTypeName(type: string): string {
  return type
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join('');
}

function typeOf(name: string): string {
  return cliTypeName(sluiceSearchAttributeKeys.find((k) => k.name === name)?.type ?? 'KEYWORD');
}

/**
 * Lists the namespace's search attributes and registers Sluice's missing ones (idempotent: a second call
 * registers nothing). Throws SearchAttributesMissingError, naming the commands to run, when the
 * connection may not register them.
 */
export async function ensureSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
): Promise<SearchAttributesResult> {
  const names = sluiceSearchAttributeKeys.map((k) => k.name);
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = new Set(Object.keys(listed.customAttributes ?? {}));
  const present = names.filter((n) => existing.has(n));
  const missing = names.filter((n) => !existing.has(n));
  if (missing.length === 0) return { present, registered: [] };
  const searchAttributes = Object.fromEntries(
    sluiceSearchAttributeKeys
      .filter((k) => missing.includes(k.name))
      .map((k) => [k.name, indexedValueType[k.type] as number]),
  );
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    if (!denied(err)) throw err;
    const [temporal, tcld] = registerCommands(namespace, missing);
    throw new SearchAttributesMissingError(
      `Temporal namespace "${namespace}" lacks Sluice's search attributes ${missing.join(', ')} and this connection may not register them (${(err as Error).message}). Register them once, then start again:\n  self-hosted Temporal: ${temporal}\n  Temporal Cloud:       ${tcld}`,
    );
  }
  return { present, registered: missing };
}

/** ensureSearchAttributes at worker start, logging what it registered. */
export async function registerSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
  log: LogFn,
): Promise<void> {
  const { registered } = await ensureSearchAttributes(connection, namespace);
  if (registered.length > 0) log('info', 'registered search attributes', { namespace, registered });
}
