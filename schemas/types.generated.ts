// Generated from schemas/*.json by `npm run gen:types` (schemas/gen-types.ts). Do not edit.

/**
 * How the manifests are rendered. Without it the path is detected: kustomization.yaml means kustomize, Chart.yaml means helm, otherwise a directory of manifests.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "render".
 */
export type RenderSpec = RenderDirectory | RenderKustomize | RenderHelm;
/**
 * A lowercase DNS label (a-z, 0-9 and '-', at most 63 characters).
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "name".
 */
export type Name = string;
/**
 * Any Sluice pipeline file document.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "SluiceDocument".
 */
export type SluiceDocument =
  | Application
  | Rollout
  | MetricTemplate
  | AlertProvider
  | Project
  | Pipeline
  | ApplicationSet
  | ImageRepository
  | ImagePolicy
  | ImageUpdateAutomation;
/**
 * A duration such as "500ms", "30s", "1m" or "1h30m".
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "duration".
 */
export type Duration = string;
/**
 * A Kubernetes object name (DNS subdomain).
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "objectName".
 */
export type ObjectName = string;
/**
 * A percentage of traffic, 0 to 100.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "weight".
 */
export type Weight = number;
/**
 * Text with placeholders: {{ target }}, {{ name }}, {{ namespace }}, {{ service }}, {{ interval }} and {{ variables.NAME }}.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "templateText".
 */
export type TemplateText = string;
/**
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "resourceList".
 */
export type ResourceList = ResourceKind[];
/**
 * A glob relative to the repository root, without .. segments.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "repoGlob".
 */
export type RepoGlob = string;

/**
 * Every kind by name; it exists so the generator declares all shared types.
 */
export interface SluiceSchemaIndex {
  Application?: Application;
  Rollout?: Rollout;
  MetricTemplate?: MetricTemplate;
  AlertProvider?: AlertProvider;
  Project?: Project;
  Pipeline?: Pipeline;
  ApplicationSet?: ApplicationSet;
  ImageRepository?: ImageRepository;
  ImagePolicy?: ImagePolicy;
  ImageUpdateAutomation?: ImageUpdateAutomation;
  SluiceDocument?: SluiceDocument;
}
/**
 * An Application syncs the manifests rendered from its sources (Git paths or Helm charts) into a cluster namespace, optionally rolling workloads out progressively with a Rollout.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "Application".
 */
export interface Application {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "Application".
   */
  kind: 'Application';
  metadata: ObjectMeta;
  spec: ApplicationSpec;
}
/**
 * Name, namespace, labels and annotations of the object.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "metadata".
 */
export interface ObjectMeta {
  /**
   * Name of the object, unique per kind and namespace.
   */
  name: string;
  /**
   * Namespace the object belongs to; references resolve in it. Default: "default".
   */
  namespace?: string;
  /**
   * Labels for selecting and grouping objects.
   */
  labels?: StringMap;
  /**
   * Free-form notes for people and tools.
   */
  annotations?: StringMap;
}
/**
 * Where the manifests come from, where they go and how they are synced.
 */
export interface ApplicationSpec {
  /**
   * Where the manifests come from: a path in a Git repository, or a Helm chart from a chart repository or OCI registry. Exactly one of source and sources.
   */
  source?: ApplicationSource;
  /**
   * Several sources whose manifests are synced together, as Argo CD's sources: each is rendered on its own unless it only provides files (ref without path or chart), and the revisions of all are recorded. Exactly one of source and sources.
   *
   * @minItems 1
   */
  sources?: [ApplicationSource, ...ApplicationSource[]];
  destination: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  /**
   * Name of a Rollout (same namespace) that rolls this Application's workload out progressively instead of applying it at once.
   */
  rollout?: string;
  /**
   * Applications that must be Synced and Healthy at the newest commit of their source before this one syncs (automated and `sluice app sync` alike; `app sync --skip-dependencies` overrides), like Flux's dependsOn. A cycle, or a name this repository does not declare, is an error of the commit; a dependency in another repository is looked up when the Application syncs and must be in the same Project.
   */
  dependsOn?: ApplicationDependency[];
  /**
   * Name of the Project this Application acts under: its rules (allowed repositories, destinations, resources, secrets) always apply. The administrator defines Projects and binds them to repositories in the worker config; without this field the repository's only bound Project is used (an error when it has several).
   */
  project?: string;
  /**
   * Custom health checks per kind, as CEL expressions over `self` (the live object), like Flux's healthCheckExprs. They replace the built-in check for that kind. The first expression that is true decides: inProgress → Progressing, failed → Degraded, current → Healthy; none true → Progressing.
   */
  healthChecks?: {
    /**
     * API version of the kind, e.g. cert-manager.io/v1 (the group is what is matched).
     */
    apiVersion: string;
    /**
     * Kind, e.g. Certificate.
     */
    kind: string;
    /**
     * CEL: true when the object is Healthy, e.g. self.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True').
     */
    current?: string;
    /**
     * CEL: true while the object is still being reconciled (Progressing).
     */
    inProgress?: string;
    /**
     * CEL: true when the object has failed (Degraded).
     */
    failed?: string;
  }[];
  /**
   * How long an object may stay Progressing before it counts as Degraded and the sync fails. Default: "10m".
   */
  progressDeadline?: string;
  /**
   * Fields whose difference from Git is not drift: not reported as OutOfSync and not healed, as Argo CD's ignoreDifferences.
   */
  ignoreDifferences?: {
    /**
     * API group ("" for core).
     */
    group?: string;
    /**
     * Kind, e.g. Deployment.
     */
    kind: string;
    /**
     * Only the object with this name (default: every object of the kind).
     */
    name?: string;
    /**
     * Only objects in this namespace (default: any).
     */
    namespace?: string;
    /**
     * RFC 6901 pointers, e.g. /spec/replicas.
     */
    jsonPointers?: string[];
    /**
     * Field managers whose fields are ignored, e.g. an HPA's.
     */
    managedFieldsManagers?: string[];
  }[];
  /**
   * Announces this Application's syncs through AlertProviders: sync started, succeeded (info), degraded (warn: at a sync, or later when its objects degrade), healthy again (info), failed (error), drift healed (info), drifted with self-heal off (warn: once per drift), removed from Git (warn: what was deleted or left), progressive delivery stopped (info: its Rollout was dropped and its Deployment serves again), and an invalid pipeline commit of the repository that declares it (error). Each alert's severity is the lowest it announces.
   */
  alerts?: Alert[];
  decryption?: Decryption;
  postBuild?: PostBuild;
}
/**
 * One source: a path in a Git repository, or (with chart) a Helm chart from a chart repository or OCI registry.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "applicationSource".
 */
export interface ApplicationSource {
  /**
   * URL of the Git repository (https:// or ssh://); with chart, of the Helm chart repository (https://, the folder holding index.yaml) or OCI registry location (oci://host/path, the chart being <repoURL>/<chart>). Credentials come from the worker's configuration, never from this URL, and the Project's sourceRepos must allow it.
   */
  repoURL: string;
  /**
   * Branch, tag or commit to sync. Default: "HEAD" (the default branch). With chart: the chart version or a semver constraint ("1.2.3", "^1.2", "~1.2.0", ">=1.0.0 <2.0.0", "*"), resolved to the highest matching version (prereleases only when the constraint names one, as Helm does); default "*".
   */
  targetRevision?: string;
  /**
   * Directory inside the repository that holds the manifests. Default: "." (the root), or, in sources, none for a source with ref (it only provides files). Not allowed with chart.
   */
  path?: string;
  /**
   * Name of a Helm chart in the chart repository or OCI registry at repoURL; rendered with the helm renderer.
   */
  chart?: string;
  /**
   * Only in sources: a name the other sources' Helm valueFiles use as "$<ref>/<file>" to read a file of this source's checkout. A source with ref and without path or chart provides files only and is not rendered.
   */
  ref?: string;
  render?: RenderSpec;
}
/**
 * Plain YAML or JSON manifests in a directory.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "renderDirectory".
 */
export interface RenderDirectory {
  /**
   * Renderer: "directory", "kustomize" or "helm".
   */
  plugin: 'directory';
  /**
   * Also read manifests in subdirectories. Default: false.
   */
  recurse?: boolean;
  /**
   * Glob of files to read. Default: "*.{yaml,yml,json}".
   */
  include?: string;
  /**
   * Glob of files to skip.
   */
  exclude?: string;
}
/**
 * A kustomization, built with kustomize.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "renderKustomize".
 */
export interface RenderKustomize {
  /**
   * Renderer: "directory", "kustomize" or "helm".
   */
  plugin: 'kustomize';
  /**
   * Image overrides as kustomize edit set image takes them, e.g. "web=registry.example/web:1.2.3".
   */
  images?: string[];
  /**
   * Prefix added to every resource name.
   */
  namePrefix?: string;
  /**
   * Suffix added to every resource name.
   */
  nameSuffix?: string;
}
/**
 * A Helm chart in the repository, rendered with helm template.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "renderHelm".
 */
export interface RenderHelm {
  /**
   * Renderer: "directory", "kustomize" or "helm".
   */
  plugin: 'helm';
  /**
   * Helm release name, by Helm's own rule: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 53 characters. Default: the Application's name.
   */
  releaseName?: string;
  /**
   * Values files applied in order: relative to the chart path, or "$<ref>/<path>" for a file of the source in spec.sources whose ref is <ref> (relative to its repository root).
   */
  valueFiles?: string[];
  /**
   * Chart values, applied after valueFiles. Free-form: the chart defines the fields.
   */
  values?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Single values set after everything else, like helm --set.
   */
  parameters?: {
    /**
     * Dotted path of the value, e.g. image.tag: not starting with '-', and without '=', ',' or whitespace.
     */
    name: string;
    /**
     * The value, as a string.
     */
    value: string;
  }[];
  /**
   * Do not install the chart's CRDs. Default: false.
   */
  skipCrds?: boolean;
  /**
   * Values read at render time from ConfigMaps and Secrets in the destination namespace of the destination cluster (Flux HelmRelease valuesFrom), merged in order after valueFiles and before values.
   */
  valuesFrom?: ValuesReference[];
}
/**
 * A ConfigMap or Secret in the destination namespace holding Helm values.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "valuesFrom".
 */
export interface ValuesReference {
  /**
   * Kind of the object.
   */
  kind: 'ConfigMap' | 'Secret';
  /**
   * Name of the object, in the destination namespace.
   */
  name: string;
  /**
   * Key holding the values. Default: values.yaml.
   */
  valuesKey?: string;
  /**
   * Dotted path at which the key's value is set as a string, instead of merging it as YAML.
   */
  targetPath?: string;
  /**
   * Skip the reference when the object or key does not exist. Default: false.
   */
  optional?: boolean;
}
/**
 * The cluster and namespace the manifests are applied to.
 */
export interface ApplicationDestination {
  /**
   * Name of a cluster registered with Sluice. Default: "in-cluster", the cluster the worker runs in.
   */
  cluster?: string;
  /**
   * Namespace for namespaced resources that do not name one.
   */
  namespace: string;
}
/**
 * When and how Sluice syncs. Without it, syncs run only when asked for (sluice sync).
 */
export interface SyncPolicy {
  /**
   * Sync automatically whenever the Git revision changes.
   */
  automated?: {
    /**
     * Delete resources that are no longer in Git. Default: false.
     */
    prune?: boolean;
    /**
     * Re-apply when the live state drifts from Git. Default: false.
     */
    selfHeal?: boolean;
    /**
     * Allow a sync that renders no objects to prune everything the application owns. Default: false: such a sync fails instead.
     */
    allowEmpty?: boolean;
    /**
     * With selfHeal: the least time between two self-heals of this Application (like Argo CD's selfHealTimeout); a drift seen sooner after the last heal waits out the rest. Default: "5s".
     */
    selfHealDelay?: string;
  };
  /**
   * How often to compare the live state with Git even when no watch event or commit arrived (a safety net: live changes and new commits wake the Application at once). Default: the worker's applications.refreshInterval ("3m").
   */
  refreshInterval?: string;
  /**
   * How a failed sync is retried.
   */
  retry?: RetryPolicy;
  /**
   * Options that change how resources are applied.
   *
   * Items: CreateNamespace=true creates the destination namespace; PruneLast=true prunes after everything else is healthy; ApplyOutOfSyncOnly=true applies only changed resources; FailOnSharedResource=true is always in force (a resource another Application tracks is never taken over; accepted for Argo CD files); AdoptExisting=true takes over resources that exist without Sluice's tracking id (without it they fail the sync); PrunePropagationPolicy sets how pruned resources' dependents are deleted.
   */
  syncOptions?: (
    | 'CreateNamespace=true'
    | 'PruneLast=true'
    | 'ApplyOutOfSyncOnly=true'
    | 'FailOnSharedResource=true'
    | 'AdoptExisting=true'
    | 'PrunePropagationPolicy=foreground'
    | 'PrunePropagationPolicy=background'
    | 'PrunePropagationPolicy=orphan'
  )[];
}
export interface ApplicationDependency {
  /**
   * Name of the Application depended on.
   */
  name: string;
  /**
   * Id of the repository declaring it (worker config `repositories[].id`). Default: this Application's own repository.
   */
  repo?: string;
}
/**
 * Announces rollout events through an AlertProvider.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "alert".
 */
export interface Alert {
  /**
   * Name of the alert, shown in messages.
   */
  name: string;
  /**
   * Lowest severity announced: info (everything), warn (failed checks and rollbacks) or error (rollbacks). Default: "info".
   */
  severity?: 'info' | 'warn' | 'error';
  /**
   * AlertProvider that delivers the messages.
   */
  providerRef: ObjectRef;
}
/**
 * Decrypt SOPS-encrypted files before rendering: in every rendered source and in the Helm value files it reads, local or `$<ref>/…` (Flux's Kustomization decryption).
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "decryption".
 */
export interface Decryption {
  /**
   * Decryption provider: "sops" (age keys).
   */
  provider: 'sops';
  secretRef: DecryptionSecretRef;
}
/**
 * A secret in the worker's secret store, granted to the Application's Project (worker config secretAccess), whose keys ending in .agekey hold age private keys.
 */
export interface DecryptionSecretRef {
  /**
   * Name of the secret.
   */
  name: string;
}
/**
 * Variable substitution applied to every rendered object (Flux's Kustomization postBuild): ${var} and ${var:=default}.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "postBuild".
 */
export interface PostBuild {
  /**
   * Variables and their values; these win over substituteFrom.
   */
  substitute?: {
    [k: string]: string | undefined;
  };
  /**
   * ConfigMaps and Secrets in the destination namespace whose keys are variables; later entries win over earlier ones.
   */
  substituteFrom?: SubstituteReference[];
}
export interface SubstituteReference {
  /**
   * Kind of the object.
   */
  kind: 'ConfigMap' | 'Secret';
  /**
   * Name of the object, in the destination namespace.
   */
  name: string;
  /**
   * Skip the object when it does not exist. Default: false.
   */
  optional?: boolean;
}
/**
 * A Rollout releases a new version of a Deployment progressively: Sluice keeps a <name>-primary copy serving traffic, shifts traffic to the new version step by step while analysing metrics, then promotes or rolls back.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "Rollout".
 */
export interface Rollout {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "Rollout".
   */
  kind: 'Rollout';
  metadata: ObjectMeta;
  spec: RolloutSpec;
}
/**
 * The workload, how traffic reaches it, the release strategy and its analysis.
 */
export interface RolloutSpec {
  /**
   * The Deployment being released. Sluice creates and manages <name>-primary from it.
   */
  targetRef: {
    /**
     * Always "apps/v1".
     */
    apiVersion?: 'apps/v1';
    /**
     * Always "Deployment".
     */
    kind?: 'Deployment';
    /**
     * Name of the Deployment, in the Application's destination namespace.
     */
    name: string;
  };
  service: RolloutService;
  /**
   * The Ingress that routes to the Service (nginx provider only): Sluice adds a <name>-canary Ingress beside it with ingress-nginx canary annotations.
   */
  ingressRef?: {
    /**
     * Name of the Ingress, in the Application's destination namespace.
     */
    name: string;
  };
  /**
   * Traffic plugin that shifts weights: kubernetes (Service selectors, blue/green only), istio, gateway-api, nginx, linkerd or smi. Default: "kubernetes".
   */
  provider?: 'kubernetes' | 'istio' | 'gateway-api' | 'nginx' | 'linkerd' | 'smi';
  /**
   * How long the new version may take to become ready before the rollout fails. Default: "10m".
   */
  progressDeadline?: string;
  /**
   * Promote without shifting traffic or analysing (an emergency switch). Default: false.
   */
  skipAnalysis?: boolean;
  strategy: RolloutStrategy;
  analysis?: RolloutAnalysis;
  promotion?: RolloutPromotion;
}
/**
 * The Service Sluice generates for the workload (and its -primary and -canary variants).
 */
export interface RolloutService {
  /**
   * Service name. Default: the target's name.
   */
  name?: string;
  /**
   * Port the Service listens on.
   */
  port: number;
  /**
   * Name of the Service port. Default: "http".
   */
  portName?: string;
  /**
   * Container port number or name traffic goes to. Default: the same as port.
   */
  targetPort?: number | string;
  /**
   * Request timeout set on the route (istio, gateway-api).
   */
  timeout?: string;
  /**
   * Gateways the route is attached to: Istio gateway names (istio), or "name" / "namespace/name" of Gateways (gateway-api).
   */
  gateways?: string[];
  /**
   * Host names the route answers for. Default: the Service name.
   */
  hosts?: string[];
  /**
   * Gateway API parentRefs of the HTTPRoute (gateway-api only), as Flagger's gatewayRefs; when set they replace gateways.
   *
   * @minItems 1
   */
  gatewayRefs?: [GatewayRef, ...GatewayRef[]];
  /**
   * Istio HTTPMatchRequests the route answers, e.g. [{uri: {prefix: /api}}] (istio, gateway-api). gateway-api translates uri, method, headers and queryParams into HTTPRouteMatches, as Flagger does (a prefix header or query condition becomes a regular expression). With A/B testing or session affinity each of Sluice's matches is combined with each of these.
   *
   * @minItems 1
   */
  match?: [
    {
      [k: string]: unknown | undefined;
    },
    ...{
      [k: string]: unknown | undefined;
    }[],
  ];
  /**
   * Rewrite of the request before it is forwarded, e.g. {uri: /} (istio, gateway-api). istio: Istio's HTTPRewrite, passed through as Flagger does (its type left out). gateway-api: a URLRewrite filter as Flagger's gateway-api router writes it: authority → hostname, uri → the path, replacing the whole path or, with type: ReplacePrefixMatch, the matched prefix.
   */
  rewrite?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Istio HTTPRetry of the route, e.g. {attempts: 3, perTryTimeout: 1s, retryOn: "5xx"} (istio only; passed through as Istio's field, like Flagger's).
   */
  retries?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Istio Headers operations of the route, e.g. {request: {add: {x-some-header: value}}} (istio: passed through as Istio's field; gateway-api: request / response set, add, remove become RequestHeaderModifier / ResponseHeaderModifier filters on every rule, like Flagger's).
   */
  headers?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Istio CorsPolicy of the route (istio only; passed through as Istio's field, like Flagger's).
   */
  corsPolicy?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Istio TrafficPolicy of the -primary and -canary DestinationRules, e.g. {tls: {mode: ISTIO_MUTUAL}} (istio only; passed through as Istio's field, like Flagger's).
   */
  trafficPolicy?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Labels and annotations of the apex Service (and of the VirtualService or HTTPRoute named after it).
   */
  apex?: ServiceMetadata;
  /**
   * Labels and annotations of the <service>-primary Service.
   */
  primary?: ServiceMetadata;
  /**
   * Labels and annotations of the <service>-canary Service.
   */
  canary?: ServiceMetadata;
  sessionAffinity?: SessionAffinity;
}
/**
 * A Gateway API ParentReference: the Gateway (or other parent) the HTTPRoute attaches to.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "gatewayRef".
 */
export interface GatewayRef {
  /**
   * Name of the parent.
   */
  name: string;
  /**
   * Namespace of the parent. Default: the route's namespace.
   */
  namespace?: string;
  /**
   * Listener of the Gateway to attach to.
   */
  sectionName?: string;
  /**
   * Port of the Gateway to attach to.
   */
  port?: number;
  /**
   * API group of the parent. Default: gateway.networking.k8s.io.
   */
  group?: string;
  /**
   * Kind of the parent. Default: Gateway.
   */
  kind?: string;
}
/**
 * Sticky canary (istio, gateway-api; canary strategy): a response from the canary sets a cookie, and requests carrying it keep going to the canary while it gets traffic, as Flagger's analysis.sessionAffinity.
 */
export interface SessionAffinity {
  /**
   * Name of the cookie (an HTTP token: letters, digits and !#$%&'*+.^_`|~-).
   */
  cookieName: string;
  /**
   * Max-Age of the cookie, in seconds. Default: 86400 (one day).
   */
  maxAge?: number;
  /**
   * Domain attribute of the cookies: the hosts the browser sends them to (Flagger's sessionAffinity.domain).
   */
  domain?: string;
  /**
   * Path attribute of the cookies: the URL path the browser sends them for, e.g. /shop (no spaces or ';').
   */
  path?: string;
  /**
   * SameSite attribute of the cookies. None needs secure: true.
   */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /**
   * Adds HttpOnly: scripts in the page cannot read the cookies.
   */
  httpOnly?: boolean;
  /**
   * Adds Secure: the browser sends the cookies over https only.
   */
  secure?: boolean;
  /**
   * Adds Partitioned (partitioned storage). Needs secure: true.
   */
  partitioned?: boolean;
  /**
   * Name of a second cookie that the primary's responses set while the canary gets traffic, valid for one analysis interval: a user split onto the primary stays there for the step, as Flagger's primaryCookieName (istio, gateway-api). Must differ from cookieName.
   */
  primaryCookieName?: string;
}
/**
 * How the new version is released: set exactly one of canary, blueGreen or abTesting.
 */
export interface RolloutStrategy {
  canary?: CanaryStrategy;
  blueGreen?: BlueGreenStrategy;
  abTesting?: ABTestingStrategy;
}
/**
 * Shift traffic to the new version in steps. Set exactly one of stepWeight (with maxWeight), stepWeights or steps.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "canary".
 */
export interface CanaryStrategy {
  /**
   * Traffic percentage added at each analysis interval.
   */
  stepWeight?: number;
  /**
   * Highest traffic percentage sent to the new version before promotion (with stepWeight). Default: 100.
   */
  maxWeight?: number;
  /**
   * Traffic percentages to go through in order, one per analysis interval, e.g. [1, 5, 25, 50].
   *
   * @minItems 1
   */
  stepWeights?: [number, ...number[]];
  /**
   * Explicit steps, run in order: setWeight, pause or analysis.
   *
   * @minItems 1
   */
  steps?: [CanaryStep, ...CanaryStep[]];
}
/**
 * One step: set exactly one of setWeight, setCanaryScale, pause or analysis.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "canaryStep".
 */
export interface CanaryStep {
  /**
   * Send this percentage of traffic to the new version.
   */
  setWeight?: number;
  setCanaryScale?: CanaryScale;
  /**
   * Wait: for duration, or until promoted (sluice promote) when no duration is given.
   */
  pause?: {
    /**
     * How long to wait. Without it, wait until promoted.
     */
    duration?: string;
  };
  /**
   * Check metrics before going on; the step fails the rollout when a check fails.
   */
  analysis?: {
    /**
     * Checks for this step only. Default: the checks in spec.analysis.metrics.
     *
     * @minItems 1
     */
    metrics?: [MetricCheck, ...MetricCheck[]];
    /**
     * Rounds of checks, one per interval, that must all pass. Default: 1.
     */
    iterations?: number;
  };
}
/**
 * Run the new version with this many pods from here on, whatever its traffic share (Argo Rollouts' setCanaryScale); the step waits until they are ready. Set exactly one of replicas, weight or matchTrafficWeight.
 */
export interface CanaryScale {
  /**
   * This many pods.
   */
  replicas?: number;
  /**
   * This percentage of the Deployment's replicas, rounded up.
   */
  weight?: number;
  /**
   * Back to Sluice's default: the Deployment's full replica count.
   */
  matchTrafficWeight?: true;
}
/**
 * A metric check: the query of templateRef (or a built-in) must satisfy thresholdRange and/or successCondition.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "metric".
 */
export interface MetricCheck {
  /**
   * Name of the check. The built-ins request-success-rate (percentage of non-5xx responses) and request-duration (P99 in milliseconds) need no templateRef.
   */
  name: string;
  /**
   * MetricTemplate that holds the query.
   */
  templateRef?: ObjectRef;
  /**
   * Values for {{ variables.NAME }} placeholders in the template's query.
   */
  variables?: StringMap;
  /**
   * Accepted range of the query result; set min, max or both.
   */
  thresholdRange?: {
    /**
     * Lowest accepted value.
     */
    min?: number;
    /**
     * Highest accepted value.
     */
    max?: number;
  };
  /**
   * CEL expression over result (the query's value) that must be true, e.g. "result >= 0.99".
   */
  successCondition?: string;
  /**
   * Window the query aggregates over, filled into {{ interval }}. Default: "1m".
   */
  interval?: string;
}
/**
 * Run checks on the new version without live traffic, then switch all traffic at once.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "blueGreen".
 */
export interface BlueGreenStrategy {
  /**
   * Rounds of analysis, one per interval, before traffic is switched.
   */
  iterations: number;
  /**
   * Mirror live traffic to the new version during analysis (istio only). Default: false.
   */
  mirror?: boolean;
  /**
   * Checks run after all live traffic has switched to the new version and before it replaces the primary (Argo Rollouts' postPromotionAnalysis): the old version keeps running meanwhile, so a failed check switches traffic straight back to it.
   */
  postSwitchAnalysis?: {
    /**
     * Checks for this phase only. Default: the checks in spec.analysis.metrics.
     *
     * @minItems 1
     */
    metrics?: [MetricCheck, ...MetricCheck[]];
    /**
     * Rounds of checks, one per interval, that must all pass. Default: 1.
     */
    iterations?: number;
  };
}
/**
 * Send requests that match headers or cookies to the new version for a number of iterations, then promote.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "abTesting".
 */
export interface ABTestingStrategy {
  /**
   * Rounds of analysis, one per interval, before promotion.
   */
  iterations: number;
  /**
   * Request conditions; a request matching any entry goes to the new version.
   *
   * @minItems 1
   *
   * Items: A request matches when all its headers and cookies conditions hold.
   */
  match: [
    {
      /**
       * Header name to condition, e.g. x-canary: {exact: "insider"}.
       */
      headers?: {
        [k: string]: StringMatch | undefined;
      };
      /**
       * Cookie name to condition, e.g. canary: {exact: "always"}.
       */
      cookies?: {
        [k: string]: StringMatch | undefined;
      };
    },
    ...{
      /**
       * Header name to condition, e.g. x-canary: {exact: "insider"}.
       */
      headers?: {
        [k: string]: StringMatch | undefined;
      };
      /**
       * Cookie name to condition, e.g. canary: {exact: "always"}.
       */
      cookies?: {
        [k: string]: StringMatch | undefined;
      };
    }[],
  ];
}
/**
 * A condition on a string: set exactly one of exact, prefix or regex.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "stringMatch".
 */
export interface StringMatch {
  /**
   * The value equals this.
   */
  exact?: string;
  /**
   * The value starts with this.
   */
  prefix?: string;
  /**
   * The value matches this RE2 regular expression.
   */
  regex?: string;
}
/**
 * Checks run at every interval while the new version gets traffic; after threshold failed checks the rollout rolls back.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "analysis".
 */
export interface RolloutAnalysis {
  /**
   * Time between two analysis rounds (and canary steps). Default: "1m".
   */
  interval?: string;
  /**
   * Failed checks tolerated before the rollout is rolled back. Default: 5.
   */
  threshold?: number;
  /**
   * Metric checks run at every interval.
   */
  metrics?: MetricCheck[];
  /**
   * HTTP calls at given points of the rollout: gates, load tests, notifications.
   */
  webhooks?: Webhook[];
  /**
   * Where rollout events are announced.
   */
  alerts?: Alert[];
}
/**
 * An HTTP POST at a given point of the rollout; gates (confirm-*) wait until it answers 200.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "webhook".
 */
export interface Webhook {
  /**
   * Name of the webhook, shown in history and alerts.
   */
  name: string;
  /**
   * When it is called: pre-rollout (before traffic shifts; failure halts), rollout (every interval, e.g. load tests), confirm-rollout / confirm-traffic-increase / confirm-promotion (gates that wait for HTTP 200), post-rollout (after promotion or rollback), rollback (HTTP 200 rolls back), event (every rollout event). Default: "rollout".
   */
  type?:
    | 'pre-rollout'
    | 'rollout'
    | 'confirm-rollout'
    | 'confirm-traffic-increase'
    | 'confirm-promotion'
    | 'post-rollout'
    | 'rollback'
    | 'event';
  /**
   * URL that receives the POST.
   */
  url: string;
  /**
   * Request timeout. Default: "60s".
   */
  timeout?: string;
  /**
   * Further attempts after a network error or an HTTP 5xx answer, with backoff. Default: 2.
   */
  retries?: number;
  /**
   * Key-value pairs sent in the payload.
   */
  metadata?: StringMap;
  /**
   * HMAC key used to sign the payload (X-Sluice-Signature header).
   */
  secretRef?: SecretRef;
}
/**
 * Who may promote this rollout by hand or resume it (`sluice rollout promote | resume NAME --key FILE`). Pausing and aborting stay open to anyone who can send Temporal updates.
 */
export interface RolloutPromotion {
  /**
   * Approver names, or group:<name>, from the worker config's approvers. When set, promote and resume need an approval signed by one of them; without it, anyone who can send Temporal updates may promote or resume (advisory: the name given is recorded unverified).
   *
   * @minItems 1
   */
  approvers?: [string, ...string[]];
}
/**
 * A MetricTemplate is a measurement a Rollout's analysis runs: a Prometheus query, an HTTP request whose JSON answer holds the value, or a Kubernetes Job whose success is 1 and failure 0; the result must be a single number.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "MetricTemplate".
 */
export interface MetricTemplate {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "MetricTemplate".
   */
  kind: 'MetricTemplate';
  metadata: ObjectMeta;
  spec: MetricTemplateSpec;
}
/**
 * The provider to ask and what to ask it: spec.query for prometheus, spec.web for web, spec.job for job.
 */
export interface MetricTemplateSpec {
  provider: MetricProvider;
  /**
   * Query in the provider's language (PromQL for prometheus). Placeholders: {{ target }} (the Deployment), {{ name }} (the Rollout), {{ namespace }}, {{ service }}, {{ interval }} (the check's window) and {{ variables.NAME }} (from the check's variables). prometheus only, and required for it.
   */
  query?: string;
  web?: WebMetric;
  job?: JobMetric;
}
/**
 * The metrics backend.
 */
export interface MetricProvider {
  /**
   * Metrics plugin: "prometheus" (spec.query), "web" (spec.web) or "job" (spec.job: a Kubernetes Job in the Rollout's namespace; 1 when it succeeds, 0 when it fails).
   */
  type: 'prometheus' | 'web' | 'job';
  /**
   * Base URL of the Prometheus to query, e.g. http://prometheus.monitoring:9090. Default: the worker's configured Prometheus. prometheus only.
   */
  address?: string;
  /**
   * Bearer token (or username and password) sent to the Prometheus, when it needs one. prometheus only.
   */
  secretRef?: SecretRef;
}
/**
 * The HTTP request of a web metric and where its JSON answer holds the value. web only, and required for it.
 */
export interface WebMetric {
  /**
   * URL to call, e.g. https://status.internal/api/v1/budget?svc={{ target }}. Placeholders as in query; the values filled in are URL-encoded. Requests go through the worker's egress policy and never follow redirects.
   */
  url: string;
  /**
   * HTTP method: "GET" (default) or "POST".
   */
  method?: 'GET' | 'POST';
  /**
   * Request headers: each a literal value or a value from the worker's secret store.
   */
  headers?: WebHeader[];
  /**
   * Request body, POST only; placeholders as in query, filled in as they are. Set a Content-Type header to match.
   */
  body?: string;
  /**
   * Where the value is in the JSON answer, in Kubernetes JSONPath form as Argo Rollouts writes it, e.g. "{$.data.remaining}" (the braces are optional). It must match exactly one number, numeric string or boolean (true is 1). Default: "$", the whole answer. Filter and script expressions ([?(...)], [(...)]) are not supported.
   */
  jsonPath?: string;
  /**
   * Longest the request may take, connection included; at most 30s. Default: "10s".
   */
  timeout?: string;
}
/**
 * One request header: a literal value, or a value from the worker's secret store (never in a pipeline file).
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "webHeader".
 */
export interface WebHeader {
  /**
   * Header name, e.g. Authorization.
   */
  name: string;
  /**
   * Literal value; placeholders as in query. It is in Git: keep credentials in secretRef.
   */
  value?: string;
  /**
   * Secret whose value is the header value, e.g. "Bearer <token>"; the worker's secretAccess grant must allow the URL's host.
   */
  secretRef?: SecretRef;
}
/**
 * The Job a job metric runs (provider.type job), as Argo Rollouts' job provider does: created in the Rollout's namespace, once per check and analysis round; the metric is 1 when the Job succeeds and 0 when it fails, so judge it with thresholdRange {min: 1} or successCondition "result == 1.0" (CEL compares the value as a double). Placeholders as in query are filled in every string of metadata and spec.
 */
export interface JobMetric {
  metadata?: JobMetricMeta;
  /**
   * A batch/v1 JobSpec (template.spec with containers and restartPolicy Never or OnFailure); the API server validates it when the Job is created.
   */
  spec: {
    /**
     * The pod template of the Job.
     */
    template: {
      [k: string]: unknown | undefined;
    };
    [k: string]: unknown | undefined;
  };
  /**
   * How long the Job may run before the check is an Error and the Job is deleted; at most 30m. Default: "5m".
   */
  timeout?: string;
}
/**
 * Labels and annotations of the Job (Sluice adds its own sluice.dev/ labels); no name or namespace: the Job's name is Sluice's, its namespace the Rollout's.
 */
export interface JobMetricMeta {
  /**
   * Labels of the Job.
   */
  labels?: StringMap;
  /**
   * Annotations of the Job.
   */
  annotations?: StringMap;
}
/**
 * An AlertProvider is a chat channel or webhook that Rollouts announce their events to.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "AlertProvider".
 */
export interface AlertProvider {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "AlertProvider".
   */
  kind: 'AlertProvider';
  metadata: ObjectMeta;
  spec: AlertProviderSpec;
}
/**
 * The kind of endpoint and how to reach it. Set address, secretRef or both.
 */
export interface AlertProviderSpec {
  /**
   * Alert plugin: slack, msteams, discord or webhook (a JSON POST).
   */
  type: 'slack' | 'msteams' | 'discord' | 'webhook';
  /**
   * Slack only: api (the default) posts with the Web API and a bot token from secretRef, threading each rollout; webhook posts to a Slack incoming webhook whose URL is in secretRef (no threads; address is not allowed, since the URL carries its token).
   */
  mode?: 'api' | 'webhook';
  /**
   * Channel to post to (slack: required in api mode; in webhook mode, a legacy webhook's channel override).
   */
  channel?: string;
  /**
   * Name the messages are posted as, where the service allows it.
   */
  username?: string;
  /**
   * Endpoint URL, when it is not secret (an internal webhook receiver). Slack, Teams and Discord webhook URLs carry a token: use secretRef.
   */
  address?: string;
  /**
   * Secret holding the webhook URL or API token.
   */
  secretRef?: SecretRef;
}
/**
 * A Project groups Applications and limits what they may do: which repositories they read, where they deploy and which resources they may create.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "Project".
 */
export interface Project {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "Project".
   */
  kind: 'Project';
  metadata: ClusterObjectMeta;
  spec: ProjectSpec;
}
/**
 * Name, labels and annotations of the object; Projects have no namespace.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "clusterMetadata".
 */
export interface ClusterObjectMeta {
  /**
   * Name of the Project, unique across all namespaces.
   */
  name: string;
  /**
   * Labels for selecting and grouping objects.
   */
  labels?: StringMap;
  /**
   * Free-form notes for people and tools.
   */
  annotations?: StringMap;
}
/**
 * The rules Applications in this Project must follow.
 */
export interface ProjectSpec {
  /**
   * What the Project is for.
   */
  description?: string;
  /**
   * Repository URLs Applications may read; globs allowed, "*" allows any.
   *
   * @minItems 1
   */
  sourceRepos: [string, ...string[]];
  /**
   * Cluster and namespace pairs Applications may deploy to.
   *
   * @minItems 1
   */
  destinations: [
    {
      /**
       * Cluster name or glob. Default: "*" (any registered cluster).
       */
      cluster?: string;
      /**
       * Namespace name or glob; "*" allows any.
       */
      namespace: string;
    },
    ...{
      /**
       * Cluster name or glob. Default: "*" (any registered cluster).
       */
      cluster?: string;
      /**
       * Namespace name or glob; "*" allows any.
       */
      namespace: string;
    }[],
  ];
  /**
   * Cluster-scoped resources Applications may manage. Default: none.
   */
  clusterResourceAllowList?: ResourceList;
  /**
   * Cluster-scoped resources Applications may not manage, even when allowed above.
   */
  clusterResourceDenyList?: ResourceList;
  /**
   * Namespaced resources Applications may manage. Default: all.
   */
  namespaceResourceAllowList?: ResourceList;
  /**
   * Namespaced resources Applications may not manage, even when allowed above.
   */
  namespaceResourceDenyList?: ResourceList;
}
/**
 * A Pipeline promotes a release from one environment to the next through steps such as sync, webhook, approve, wait, analyse and alert.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "Pipeline".
 */
export interface Pipeline {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "Pipeline".
   */
  kind: 'Pipeline';
  metadata: ObjectMeta;
  spec: PipelineSpec;
}
/**
 * What starts the Pipeline and the steps it runs.
 */
export interface PipelineSpec {
  /**
   * Name of the Project the Pipeline acts under: which Applications it may sync and which secrets its steps may use. Defined by the administrator and bound to the repository in the worker config; without this field the repository's only bound Project is used (an error when it has several).
   */
  project?: string;
  trigger: PipelineTrigger;
  /**
   * When a run starts while another run of this Pipeline holds its run lock: queue (wait for it, in trigger order), cancel-older (cancel it and every queued run) or skip (this run ends at once as Skipped). A failed run gives the lock up while it waits for a retry; a retry queues. Default: "queue".
   */
  concurrency?: 'queue' | 'cancel-older' | 'skip';
  /**
   * Steps run in order; a failed step stops the run and runs onFailure.
   *
   * @minItems 1
   */
  steps: [PipelineStep | PipelineParallelGroup, ...(PipelineStep | PipelineParallelGroup)[]];
  /**
   * Steps run, in order, after a step failed; they may read steps.<name>.outcome and run.failedStep. Their own failures are logged, never hide the first one.
   */
  onFailure?: PipelineStep[];
  /**
   * Where run events go (run failed: error, waiting for approval: info, succeeded: info).
   */
  alerts?: Alert[];
  /**
   * How long a failed run stays open for `sluice pipeline retry RUN STEP` before it ends Failed. Default: "1h"; "0s" ends at once.
   */
  retryWindow?: string;
}
/**
 * What starts a run: set exactly one of manual, schedule, application, git or image. Every trigger can also be started by hand (sluice pipeline run).
 */
export interface PipelineTrigger {
  /**
   * Runs only when started by hand (sluice pipeline run).
   */
  manual?: Record<string, never>;
  /**
   * Runs on a schedule.
   */
  schedule?: {
    /**
     * Five-field cron expression in UTC, e.g. "0 6 * * 1-5".
     */
    cron: string;
  };
  /**
   * Runs when an Application reaches a state.
   */
  application?: {
    /**
     * Name of the Application, declared in the same repository.
     */
    name: string;
    /**
     * synced (applied), healthy (applied and Healthy at a new revision) or promoted (its Rollout promoted). Default: "healthy".
     */
    event?: 'synced' | 'healthy' | 'promoted';
  };
  /**
   * Runs on each new commit of a repository watched by the worker, optionally only when files under some paths changed.
   */
  git?: {
    /**
     * Id of the watched repository (worker config `repositories[].id`). Default: the repository holding this Pipeline.
     */
    repository?: string;
    /**
     * Path prefixes or globs; the run starts only when the commit changed one of them. Default: any change.
     */
    paths?: string[];
  };
  /**
   * Runs when an ImagePolicy selects a new tag; the run reads it as trigger.image.tag (also trigger.image.image, trigger.image.digest, trigger.image.policy).
   */
  image?: {
    /**
     * The ImagePolicy, declared in the same repository and namespace.
     */
    policyRef: {
      /**
       * Name of the ImagePolicy.
       */
      name: string;
    };
  };
}
/**
 * One step: a step plugin with its inputs.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "pipelineStep".
 */
export interface PipelineStep {
  /**
   * Name of the step, unique in the Pipeline (parallel and onFailure steps included).
   */
  name: string;
  /**
   * Step plugin: sync, rollout-wait, webhook, analysis, approve, wait, alert or git-update. An unknown name is a validation error.
   */
  uses: string;
  /**
   * Inputs of the step plugin; strings may hold ${{ expressions }} (trigger.*, steps.<name>.outputs.*, run.*, pipeline.*).
   */
  with?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Expression; the step runs only when it is true, e.g. "steps.smoke.outcome == 'success'" or "${{ trigger.revision != '' }}". Skipped steps have outcome "skipped".
   */
  if?: string;
  /**
   * Longest the step may run. Default: the plugin's own (approve: no limit).
   */
  timeout?: string;
  /**
   * How a failed step is retried. Default: not retried (a crashed worker's attempt is always retried).
   */
  retry?: RetryPolicy;
  /**
   * A failure of this step does not fail the run. Default: false.
   */
  continueOnError?: boolean;
}
/**
 * Steps that run at the same time; the group fails when one of them fails (after all have finished).
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "pipelineParallelGroup".
 */
export interface PipelineParallelGroup {
  /**
   * Name of the group, unique in the Pipeline.
   */
  name: string;
  /**
   * Expression; the step runs only when it is true, e.g. "steps.smoke.outcome == 'success'" or "${{ trigger.revision != '' }}". Skipped steps have outcome "skipped".
   */
  if?: string;
  /**
   * The steps; they cannot read each other's outputs.
   *
   * @minItems 1
   */
  parallel: [PipelineStep, ...PipelineStep[]];
}
/**
 * An ApplicationSet makes one Application per parameter set its generators produce (list elements, Git directories, Git files, clusters, or a matrix of two), from one template, as Argo CD's ApplicationSet does.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "ApplicationSet".
 */
export interface ApplicationSet {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "ApplicationSet".
   */
  kind: 'ApplicationSet';
  metadata: ObjectMeta;
  spec: ApplicationSetSpec;
}
/**
 * The generators, the template and what happens to the generated Applications.
 */
export interface ApplicationSetSpec {
  /**
   * Each generator yields parameter sets; every set of every generator makes one Application.
   *
   * @minItems 1
   */
  generators: [ApplicationSetGenerator, ...ApplicationSetGenerator[]];
  template: ApplicationSetTemplate;
  syncPolicy?: ApplicationSetSyncPolicy;
}
/**
 * Exactly one of list, git, clusters or matrix.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "generator".
 */
export interface ApplicationSetGenerator {
  list?: ListGenerator;
  git?: GitGenerator;
  clusters?: ClustersGenerator;
  matrix?: MatrixGenerator;
}
/**
 * Literal parameter sets.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "listGenerator".
 */
export interface ListGenerator {
  /**
   * One parameter set per element; nested keys are flattened with dots (a.b).
   *
   * Items: One parameter set.
   */
  elements: {
    [k: string]: unknown | undefined;
  }[];
}
/**
 * Parameter sets from the folders or files of a Git repository. Exactly one of directories and files.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "gitGenerator".
 */
export interface GitGenerator {
  /**
   * The repository; default the watched repository at the commit being loaded. Another one must be in the Project's sourceRepos.
   */
  repoURL?: string;
  /**
   * Branch, tag or commit of repoURL (default HEAD); ignored for the watched repository, which is read at the commit being loaded.
   */
  revision?: string;
  /**
   * One parameter set per folder matched (path, path.basename, path.basenameNormalized, path[N]).
   *
   * @minItems 1
   */
  directories?: [GitDirectoryMatch, ...GitDirectoryMatch[]];
  /**
   * One parameter set per file matched (its flattened keys; one per element of a top-level list), with path, path.basename, path.filename, path.filenameNormalized and path[N].
   *
   * @minItems 1
   */
  files?: [GitFileMatch, ...GitFileMatch[]];
}
export interface GitDirectoryMatch {
  /**
   * Glob of folders from the repository root, e.g. "apps/*".
   */
  path: string;
  /**
   * Folders this glob matches are left out, whatever the order.
   */
  exclude?: boolean;
}
export interface GitFileMatch {
  /**
   * Glob of JSON or YAML files from the repository root, e.g. "clusters/* /config.json".
   */
  path: string;
}
/**
 * One parameter set per cluster the worker serves (name, nameNormalized, metadata.labels.<key>): in-cluster and the worker config's clusters.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "clustersGenerator".
 */
export interface ClustersGenerator {
  /**
   * Only clusters whose labels (worker config clusters[].labels) include all of these.
   */
  selector?: {
    /**
     * Labels a cluster must have.
     */
    matchLabels?: StringMap;
  };
}
/**
 * Every combination of the parameter sets of two generators (each list, git or clusters).
 */
export interface MatrixGenerator {
  /**
   * The two generators to combine; a parameter both set takes the second's value.
   *
   * @minItems 2
   * @maxItems 2
   */
  generators: [ApplicationSetLeafGenerator, ApplicationSetLeafGenerator];
}
/**
 * Exactly one of list, git or clusters.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "leafGenerator".
 */
export interface ApplicationSetLeafGenerator {
  list?: ListGenerator;
  git?: GitGenerator;
  clusters?: ClustersGenerator;
}
/**
 * The Application to make per parameter set; every string may hold {{parameter}} placeholders.
 */
export interface ApplicationSetTemplate {
  /**
   * Name (required), namespace, labels and annotations of each generated Application.
   */
  metadata: {
    /**
     * Name of each generated Application, e.g. "{{path.basename}}".
     */
    name: string;
    /**
     * Namespace of each generated Application.
     */
    namespace?: string;
    /**
     * Labels of each generated Application.
     */
    labels?: StringMap;
    /**
     * Annotations of each generated Application.
     */
    annotations?: StringMap;
  };
  /**
   * An Application spec (see application.json); checked after the parameters are filled in.
   */
  spec: {
    [k: string]: unknown | undefined;
  };
}
/**
 * What the set may do to the Applications it generated.
 */
export interface ApplicationSetSyncPolicy {
  /**
   * sync: create, update and remove; create-only: never update or remove; create-update: never remove; create-delete: never update.
   */
  applicationsSync?: 'sync' | 'create-only' | 'create-update' | 'create-delete';
  /**
   * When a generated Application is removed, leave the objects it applied in the cluster (default false: they go as its prune setting says).
   */
  preserveResourcesOnDeletion?: boolean;
}
/**
 * An ImageRepository is an OCI image repository whose tags Sluice lists on an interval (Flux's ImageRepository).
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "ImageRepository".
 */
export interface ImageRepository {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "ImageRepository".
   */
  kind: 'ImageRepository';
  metadata: ObjectMeta;
  spec: ImageRepositorySpec;
}
/**
 * The image and how often to list its tags.
 */
export interface ImageRepositorySpec {
  /**
   * Image name with its registry host and without tag or digest, e.g. "registry.example.com/team/app" (host[:port]/path). The registry API is reached over HTTPS.
   */
  image: string;
  /**
   * How often to list the tags. Default: "5m".
   */
  interval?: string;
  /**
   * Secret with username and password (or token) for the registry, sent only to the image's registry host (and its token service there). Without it, the credentials the administrator configured for the registry in helmRepositories (an oci:// entry), if any.
   */
  secretRef?: NamedSecretRef;
  /**
   * Project it acts under (bound to this repository by the administrator). Default: the repository's only bound Project.
   */
  project?: string;
}
/**
 * An ImagePolicy picks the latest tag of an ImageRepository by semver range, number or alphabet (Flux's ImagePolicy).
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "ImagePolicy".
 */
export interface ImagePolicy {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "ImagePolicy".
   */
  kind: 'ImagePolicy';
  metadata: ObjectMeta;
  spec: ImagePolicySpec;
}
/**
 * Which repository, how to order its tags, and which tags count.
 */
export interface ImagePolicySpec {
  /**
   * The ImageRepository, declared in the same repository and namespace.
   */
  imageRepositoryRef: {
    /**
     * Name of the ImageRepository.
     */
    name: string;
  };
  policy: ImagePolicyChoice;
  /**
   * Only tags matching pattern count; with extract, the policy compares the expanded extract instead of the tag.
   */
  filterTags?: {
    /**
     * JavaScript regular expression the tag must match, e.g. "^main-[a-f0-9]+-(?<ts>[0-9]+)$".
     */
    pattern: string;
    /**
     * What to compare, with $name, ${name} or $1 naming the pattern's groups, e.g. "$ts".
     */
    extract?: string;
  };
}
/**
 * Set exactly one of semver, numerical or alphabetical.
 */
export interface ImagePolicyChoice {
  /**
   * The highest version in a semver range (tags that are not versions are ignored; a leading v is accepted).
   */
  semver?: {
    /**
     * Semver range, e.g. ">=1.0.0 <2.0.0" or "^1.2".
     */
    range: string;
  };
  /**
   * Tags read as numbers (others ignored).
   */
  numerical?: {
    /**
     * asc selects the largest number, desc the smallest. Default: "asc".
     */
    order?: 'asc' | 'desc';
  };
  /**
   * Tags compared as strings.
   */
  alphabetical?: {
    /**
     * asc selects the last tag in alphabetical order, desc the first. Default: "asc".
     */
    order?: 'asc' | 'desc';
  };
}
/**
 * An ImageUpdateAutomation commits the tags ImagePolicies select into Git, at the places marked with # {"$imagepolicy": "namespace:name"} (Flux's ImageUpdateAutomation, Setters strategy).
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "ImageUpdateAutomation".
 */
export interface ImageUpdateAutomation {
  /**
   * Always "sluice.dev/v1alpha1".
   */
  apiVersion: 'sluice.dev/v1alpha1';
  /**
   * Always "ImageUpdateAutomation".
   */
  kind: 'ImageUpdateAutomation';
  metadata: ObjectMeta;
  spec: ImageUpdateAutomationSpec;
}
/**
 * Where to write and how to commit.
 */
export interface ImageUpdateAutomationSpec {
  /**
   * The repository written to. Default: the repository this file is in, on its watched branch.
   */
  git?: {
    /**
     * Git repository (smart HTTP) to write to; it must be one of the Project's sourceRepos.
     */
    repoURL?: string;
    /**
     * Branch to commit to. Default: the watched branch (repoURL unset) or "main".
     */
    branch?: string;
    /**
     * Secret with the Git credentials (username/password or token), granted to the Project for the repository's host. Default: the credentials the administrator configured for the repository.
     */
    secretRef?: NamedSecretRef;
    /**
     * Commit author. Default: Sluice <sluice@localhost>.
     */
    author?: {
      /**
       * Author name.
       */
      name: string;
      /**
       * Author email.
       */
      email: string;
    };
  };
  /**
   * Which files to update.
   */
  update: {
    /**
     * Folder (or file) relative to the repository root whose *.yaml/*.yml files are searched for markers.
     */
    path: string;
    /**
     * Setters: replace values marked with # {"$imagepolicy": "ns:name[:tag|:name|:digest]"}. Default: "Setters".
     */
    strategy?: 'Setters';
  };
  /**
   * Names of the ImagePolicies (same namespace) this automation writes. Default: every ImagePolicy in its namespace.
   */
  policies?: Name[];
  /**
   * Project it acts under (bound to this repository by the administrator). Default: the repository's only bound Project.
   */
  project?: string;
}
/**
 * String keys to string values.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "stringMap".
 */
export interface StringMap {
  [k: string]: string | undefined;
}
/**
 * How a failed operation is retried.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "retry".
 */
export interface RetryPolicy {
  /**
   * Attempts after the first one fails; 0 disables retries. Default: 5.
   */
  limit?: number;
  /**
   * Wait between attempts: duration, then multiplied by factor each time, at most maxDuration.
   */
  backoff?: {
    /**
     * Wait before the first retry. Default: "5s".
     */
    duration?: string;
    /**
     * Multiplier applied to the wait after each retry. Default: 2.
     */
    factor?: number;
    /**
     * Longest wait between retries. Default: "3m".
     */
    maxDuration?: string;
  };
}
/**
 * A reference to another Sluice object by name.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "objectRef".
 */
export interface ObjectRef {
  /**
   * Name of the referenced object.
   */
  name: string;
  /**
   * Namespace of the referenced object. Default: the namespace of the referring object.
   */
  namespace?: string;
}
/**
 * A secret held by the worker's secret store (environment, files or a Kubernetes Secret in Sluice's namespace); secrets never appear in pipeline files.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "secretRef".
 */
export interface SecretRef {
  /**
   * Name of the secret.
   */
  name: string;
  /**
   * Entry in the secret that holds the value.
   */
  key: string;
}
/**
 * Labels and annotations added to a generated object; keys under sluice.dev/ are Sluice's own and refused.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "serviceMetadata".
 */
export interface ServiceMetadata {
  /**
   * Labels to add.
   */
  labels?: StringMap;
  /**
   * Annotations to add.
   */
  annotations?: StringMap;
}
/**
 * A resource kind by API group; "*" matches any.
 */
export interface ResourceKind {
  /**
   * API group, "" for the core group (Secret, ConfigMap), or "*".
   */
  group: string;
  /**
   * Kind, e.g. Deployment, or "*".
   */
  kind: string;
}
/**
 * A secret held by the worker's secret store, granted to the Project in the worker config (secretAccess); secrets never appear in pipeline files.
 *
 * This interface was referenced by `SluiceSchemaIndex`'s JSON-Schema
 * via the `definition` "namedSecret".
 */
export interface NamedSecretRef {
  /**
   * Name of the secret.
   */
  name: string;
}
