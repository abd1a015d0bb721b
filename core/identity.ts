// Who is asking: every request a workflow makes on behalf of a pipeline file carries where that file
// came from (the repository the administrator configured) and the Project it acts under. Activities
// check both against the worker's configuration before they touch a cluster, a secret or the network.

/** The repository a pipeline object was declared in and the Project it acts under. */
export interface Caller {
  repoId: string;
  project: string;
}

/** An Application's identity: its repository, its Project and its name (unique per repository). */
export interface AppIdentity extends Caller {
  app: string;
}

/** The tracking value written on every object an application applies: `<repoId>/<app>`. */
export function trackingId(owner: Pick<AppIdentity, 'repoId' | 'app'>): string {
  return `${owner.repoId}/${owner.app}`;
}
