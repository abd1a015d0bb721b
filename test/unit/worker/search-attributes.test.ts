import type { Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import {
  ensureSearchAttributes,
  registerCommands,
  SearchAttributesMissingError,
} from '../../../worker/search-attributes.js';

// The one branch the stack's dev server cannot show: a connection that may list but not register
// (Temporal Cloud's API keys). The operator service here answers as Cloud does, with PERMISSION_DENIED.
function operatorService(present: string[], addError?: Error & { code: number }) {
  const added: Record<string, number>[] = [];
  const connection = {
    operatorService: {
      listSearchAttributes: async () => ({
        customAttributes: Object.fromEntries(present.map((n) => [n, 2])),
      }),
      addSearchAttributes: async (req: { searchAttributes: Record<string, number> }) => {
        if (addError) throw addError;
        added.push(req.searchAttributes);
        return {};
      },
    },
  } as unknown as Pick<Connection, 'operatorService'>;
  return { connection, added };
}

describe('ensureSearchAttributes', () => {
  it('registers only the missing attributes, as Keyword', async () => {
    const { connection, added } = operatorService(['SluiceApp', 'SluiceKind']);
    expect(await ensureSearchAttributes(connection, 'ns')).toEqual({
      present: ['SluiceApp', 'SluiceKind'],
      registered: ['SluiceRevision', 'SluicePhase'],
    });
    expect(added).toEqual([{ SluiceRevision: 2, SluicePhase: 2 }]);
  });

  it('without permission, fails naming the Temporal CLI and tcld commands for the missing ones', async () => {
    const denied = Object.assign(new Error('7 PERMISSION_DENIED: Request unauthorized.'), { code: 7 });
    const { connection } = operatorService(['SluiceApp', 'SluiceKind', 'SluiceRevision'], denied);
    const err = await ensureSearchAttributes(connection, 'prod.a1b2c').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchAttributesMissingError);
    expect((err as Error).message).toContain(
      'temporal operator search-attribute create --namespace prod.a1b2c --name SluicePhase --type Keyword',
    );
    expect((err as Error).message).toContain(
      'tcld namespace search-attributes add --namespace prod.a1b2c --search-attribute "SluicePhase=Keyword"',
    );
  });

  it('passes other errors through (transient faults are not a permission problem)', async () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    const { connection } = operatorService([], unavailable);
    await expect(ensureSearchAttributes(connection, 'ns')).rejects.toThrow('14 UNAVAILABLE');
  });

  it('names every attribute in one command each', () => {
    const [temporal, tcld] = registerCommands('default', ['SluiceApp', 'SluiceKind']);
    expect(temporal).toBe(
      'temporal operator search-attribute create --namespace default --name SluiceApp --type Keyword --name SluiceKind --type Keyword',
    );
    expect(tcld).toBe(
      'tcld namespace search-attributes add --namespace default --search-attribute "SluiceApp=Keyword" --search-attribute "SluiceKind=Keyword"',
    );
  });
});
