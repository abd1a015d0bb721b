import type { ApplicationSource, RenderSpec } from '../../schemas/types.generated.js';
import { isRefOnly } from './app-sources.js';

/** A source rendered with helm: a chart, helm named, or no renderer named (a Chart.yaml may be detected). */
const helmSource = (s: { chart?: string; render?: RenderSpec }): boolean =>
  s.chart !== undefined || s.render === undefined || s.render.plugin === 'helm';

/** True when a render may run `helm template`, so the destination's capabilities belong in its key. */
export function mayUseHelm(req: { render?: RenderSpec; sources?: ApplicationSource[] }): boolean {
  if (req.sources) return req.sources.some((s) => !isRefOnly(s) && helmSource(s));
  return helmSource(req);
}
