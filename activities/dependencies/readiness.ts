// Whether an Application another one depends on is ready: Synced and Healthy at the newest commit of
// its source, as Flux's dependsOn asks a Kustomization to be Ready at its source's latest revision.
import type { ApplicationStatus } from '../../workflows/application/messages.js';

/** The verdict on one dependency: ready, or why not (for `app get`, `app list` and the Temporal UI). */
export type Readiness = { ready: true } | { ready: false; reason: string };

const short = (sha: string | undefined) => sha?.slice(0, 7) ?? 'none';

/** A source ("repoURL#targetRevision") and the newest commit of it an application knows. */
export interface SourceAt {
  key: string;
  revision: string;
}

/**
 * The readiness of a dependency from its status query's answer; `dependent` is the asker's `<repo>/<name>`
 * and `source` what it knows of its own source.
 */
export function readiness(s: ApplicationStatus, dependent: string, source?: SourceAt): Readiness {
  const no = (reason: string): Readiness => ({ ready: false, reason });
  if (s.phase === 'Stopped') return no('removed from Git');
  // Both would wait forever: a same-repository cycle is refused by validation, one across repositories shows here.
  if (s.waitingFor?.some((w) => w.id === dependent)) return no(`waits for ${dependent} (a dependency cycle)`);
  if (s.phase === 'Syncing') return no('syncing');
  if (s.sourceRevision === undefined) return no('its source is not resolved yet');
  // Two applications of one branch learn of its new commit one by one: the dependent told first must not
  // take the dependency, still ready at the commit before, for ready at this one (Flux compares revisions too).
  if (source && s.sourceKey === source.key && s.sourceRevision !== source.revision)
    return no(`its source is at ${short(s.sourceRevision)}, this Application's at ${short(source.revision)}`);
  if (s.syncedRevision === undefined) return no(`not synced yet (source at ${short(s.sourceRevision)})`);
  // A dependency mid-update (a new commit it has not synced yet) blocks, as in Flux.
  if (s.syncedRevision !== s.sourceRevision)
    return no(`synced ${short(s.syncedRevision)}, its source is at ${short(s.sourceRevision)}`);
  if (s.syncStatus !== 'Synced') return no(s.syncStatus);
  if (s.health !== 'Healthy') return no(`health ${s.health}`);
  return { ready: true };
}
