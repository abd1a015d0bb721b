import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LiveOutput } from '../../../cli/live-output.js';

const collect = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return { stream, text: () => text };
};

describe('output that follows a change', () => {
  it('redraws the block in place on a terminal', () => {
    const out = collect();
    const live = new LiveOutput(true, out.stream);
    live.show(['a: Syncing', 'web  Pending'], []);
    live.show(['a: Watching', 'web  Synced'], []);
    expect(out.text()).toBe('a: Syncing\nweb  Pending\n\x1b[2A\x1b[Ja: Watching\nweb  Synced\n');
  });

  it('prints each keyed line once per change elsewhere, with a timestamp', () => {
    const out = collect();
    const live = new LiveOutput(false, out.stream);
    live.show(
      [],
      [
        ['app', 'a: Syncing'],
        ['res web', 'Deployment shop/web  Pending'],
      ],
    );
    live.show(
      [],
      [
        ['app', 'a: Syncing'],
        ['res web', 'Deployment shop/web  Synced  Healthy'],
      ],
    );
    const lines = out.text().trim().split('\n');
    expect(lines.map((l) => l.replace(/^\S+Z {2}/, ''))).toEqual([
      'a: Syncing',
      'Deployment shop/web  Pending',
      'Deployment shop/web  Synced  Healthy',
    ]);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}/);
  });
});
