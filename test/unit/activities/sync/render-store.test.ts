import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RenderStore } from '../../../../activities/sync/render-store.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('RenderStore', () => {
  it("keeps rendered objects (Secrets among them) readable by the worker's user only", () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sluice-render-store-')), 'rendered');
    mkdirSync(dir, { mode: 0o755 });
    const store = new RenderStore(dir);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { pw: 'c2VjcmV0' } };
    store.put('k', [secret]);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'k.json'))).toBe(0o600);
    expect(store.get('k')).toEqual([secret]);
  });
});
