// What the worker's administrator decides (docs/security.md): Projects, which repositories are bound
// to them, which secrets each Project may use and where their values may go, where outbound requests
// may go, and the limits on what a repository may make the worker do. Pipeline files can read none
// of this and change none of it.
import type { ChartRepoConfig } from '../charts/chart-repos.js';
import type { ProjectPolicy } from '../sync/project-policy.js';

/** A Project as the administrator declares it; sourceRepos defaults to the repositories bound to it. */
export type ProjectConfig = Omit<ProjectPolicy, 'sourceRepos'> & {
  description?: string;
  sourceRepos?: string[];
};

/** A watched repository as trust sees it: its id, URL, credentials and the Projects its files may use. */
export interface BoundRepository {
  id: string;
  url: string;
  secretRef?: { name: string };
  /** Projects whose Applications and Pipelines this repository may declare (default: ["default"]). */
  projects: string[];
}

/** A repository the administrator keeps Projects in (Argo CD's AppProjects in Git). */
export interface AdminRepositoryConfig {
  url: string;
  revision: string;
  /** Folder holding the Project files. */
  path: string;
  secretRef?: { name: string };
  /** How long a read of its Projects is reused before ls-remote is asked again (default 1m). */
  refreshInterval: string;
}

/** Which Projects may use a secret a pipeline file names, and which hosts its values may be sent to. */
export interface SecretGrant {
  /** Secret name, or a glob ("team-a-*"). */
  name: string;
  /** Projects whose pipeline files may name it ("*" for all). */
  projects: string[];
  /** Hosts ("host" or "host:port", globs allowed) its values may go to; none: it may only sign nothing. */
  hosts: string[];
}

/** Where outbound requests that a pipeline file chose (webhooks, metric and alert providers) may go. */
export interface EgressConfig {
  /** CIDRs ("10.1.0.0/16") and host names or globs ("hooks.internal", "*.svc.cluster.local") allowed beyond the public internet. */
  allow: string[];
  /** Largest response body read from such a request. */
  maxResponseBytes: number;
}

/** Caps on what a fetched commit may unpack to, checked before anything is inflated or written. */
export interface GitLimits {
  /** Largest single object (blob, tree) in a fetched pack. */
  maxObjectBytes: number;
  /** Largest pack a fetch may download. */
  maxPackBytes: number;
  /** Most bytes a checkout (and the objects of one fetch, inflated) may add up to. */
  maxCheckoutBytes: number;
  /** Most files and folders a checkout may have (repeats counted), and most objects one fetch may bring. */
  maxFiles: number;
}

/** A person who may approve, with the Ed25519 public key their signed approvals are checked with. */
export interface ApproverConfig {
  name: string;
  /** PEM (SPKI) of the approver's Ed25519 public key. */
  publicKey: string;
  groups: string[];
}

/** Everything the administrator decides that activities enforce. */
export interface TrustConfig {
  projects: ProjectConfig[];
  adminRepository?: AdminRepositoryConfig;
  repositories: BoundRepository[];
  secretAccess: SecretGrant[];
  egress: EgressConfig;
  git: GitLimits;
  /** Remote kustomize bases allowed (URL prefixes); none by default. */
  kustomizeRemoteBases: string[];
  /** Chart repositories and OCI registries with their credentials and CA bundles; requests to them skip the egress policy. */
  helmRepositories: ChartRepoConfig[];
  approvers: ApproverConfig[];
  /** Every approval and rollout promote / resume needs a signed token, even where no `approvers` are listed. */
  requireSignedApprovals: boolean;
}

/**
 * Default git limits: fit the shipped 1 GiB memory limit with room for everything else. isomorphic-git
 * holds a fetched pack in memory about four times over while it indexes it (a 58 MiB pack measured
 * +250 MiB RSS, a 241 MiB one +970 MiB), hence 64 MiB; and ~3.5 KiB per object (49,000 objects:
 * +170 MiB), which maxFiles also bounds. Checkouts are written one file at a time.
 */
export const defaultGitLimits: GitLimits = {
  maxObjectBytes: 16 * 1024 * 1024,
  maxPackBytes: 64 * 1024 * 1024,
  maxCheckoutBytes: 512 * 1024 * 1024,
  maxFiles: 50_000,
};

/** Default egress: public addresses only, responses up to 1 MiB. */
export const defaultEgress: EgressConfig = { allow: [], maxResponseBytes: 1024 * 1024 };

/** A trust config with every default filled in: no Projects but the restrictive default, no grants. */
export function trustConfig(partial: Partial<TrustConfig> = {}): TrustConfig {
  return {
    projects: partial.projects ?? [],
    ...(partial.adminRepository ? { adminRepository: partial.adminRepository } : {}),
    repositories: partial.repositories ?? [],
    secretAccess: partial.secretAccess ?? [],
    egress: { ...defaultEgress, ...partial.egress },
    git: { ...defaultGitLimits, ...partial.git },
    kustomizeRemoteBases: partial.kustomizeRemoteBases ?? [],
    helmRepositories: partial.helmRepositories ?? [],
    approvers: partial.approvers ?? [],
    requireSignedApprovals: partial.requireSignedApprovals ?? false,
  };
}
