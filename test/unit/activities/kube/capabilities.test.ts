import { describe, expect, it } from 'vitest';
import { cachedFor } from '../../../../activities/kube/capabilities.js';

describe('cachedFor', () => {
  it('answers from one load until the time is up, then loads again; a failure is not kept', async () => {
    let t = 0;
    let loads = 0;
    let fail = false;
    const get = cachedFor(
      async () => {
        loads++;
        if (fail) throw new Error('down');
        return loads;
      },
      60_000,
      () => t,
    );
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    t = 59_999;
    expect(await get()).toBe(1);
    t = 60_000;
    fail = true;
    await expect(get()).rejects.toThrow('down');
    fail = false;
    expect(await get()).toBe(3);
    expect(loads).toBe(3);
  });
});
