// Projects as the administrator defines them, and which repositories they are bound to. Activities
// ask here at the moment they act, so a Project comes from the worker's configuration (or the admin
// repository), never from the workflow history a pipeline file fed, and a changed binding applies at once.
import type { NonRetryableErrorType } from '../../core/errors.js';
import type { Caller } from '../../core/identity.js';
import type { ProjectPolicy } from '../sync/project-policy.js';
import type { BoundRepository, ProjectConfig, TrustConfig } from './config.js';

/** A caller acts under a Project that is missing or not bound to its repository. */
export class ProjectBindingError extends Error {
  override name = 'ProjectBindingError' as const satisfies NonRetryableErrorType;
}

/** The Project every repository is bound to unless the administrator says otherwise. */
export const DEFAULT_PROJECT = 'default';

/** Reads the admin repository's Projects (cached by the caller of the registry); undefined: none configured. */
export type AdminProjectSource = () => Promise<ProjectConfig[]>;

/** The administrator's Projects and repository bindings, answering "what may this caller do?". */
export class ProjectRegistry {
  constructor(
    private readonly trust: Pick<TrustConfig, 'projects' | 'repositories'>,
    private readonly adminProjects?: AdminProjectSource,
  ) {}

  /** The configured repository of an id; undefined for a watcher an administrator started by hand. */
  repository(repoId: string): BoundRepository | undefined {
    return this.trust.repositories.find((r) => r.id === repoId);
  }

  /** Projects a repository's pipeline files may use: its binding, or the default Project alone. */
  boundProjects(repoId: string): string[] {
    return this.repository(repoId)?.projects ?? [DEFAULT_PROJECT];
  }

  /** Throws unless the caller's Project is bound to its repository. */
  checkBinding(caller: Caller): void {
    const bound = this.boundProjects(caller.repoId);
    if (!bound.includes(caller.project))
      throw new ProjectBindingError(
        `repository ${caller.repoId} is not bound to Project "${caller.project}" (bound: ${bound.join(', ')}); the administrator binds Projects in the worker config (repositories[].projects)`,
      );
  }

  /**
   * The rules the caller acts under, read now: the binding is checked, and a Project's sourceRepos
   * default to the URLs of the repositories bound to it ("own repositories only"). The default Project,
   * unless the administrator defines it, allows no destinations and no cluster-scoped kinds.
   */
  async policyFor(caller: Caller): Promise<ProjectPolicy> {
    this.checkBinding(caller);
    const found = (await this.all()).find((p) => p.name === caller.project);
    if (!found && caller.project !== DEFAULT_PROJECT)
      throw new ProjectBindingError(
        `Project "${caller.project}" is not defined: the administrator defines Projects in the worker config (projects) or the admin repository`,
      );
    const declared = found ?? { name: DEFAULT_PROJECT, destinations: [] };
    const { description: _description, ...rules } = declared;
    return {
      ...rules,
      sourceRepos: declared.sourceRepos ?? this.boundUrls(declared.name),
    };
  }

  /** Every Project: the worker config's, then the admin repository's (a name defined twice is an error). */
  async all(): Promise<ProjectConfig[]> {
    const fromConfig = this.trust.projects;
    if (!this.adminProjects) return fromConfig;
    const fromRepo = await this.adminProjects();
    const clash = fromRepo.find((p) => fromConfig.some((c) => c.name === p.name));
    if (clash)
      throw new ProjectBindingError(
        `Project "${clash.name}" is defined both in the worker config and in the admin repository: keep one`,
      );
    return [...fromConfig, ...fromRepo];
  }

  /** URLs of the configured repositories bound to a Project. */
  private boundUrls(project: string): string[] {
    return this.trust.repositories.filter((r) => r.projects.includes(project)).map((r) => r.url);
  }
}
