/** JSON Schema of the worker config file (`sluice worker --config FILE`); defaults are filled in by config.ts. */

import { trafficProviderNames } from '../core/traffic/providers.js';
import { workerTuningSchema } from './tuning.js';

const ref = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'Secret name (looked up in the `secrets` sources).' },
  },
};

const dnsLabel = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const duration = {
  type: 'string',
  pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$',
  patternErrorMessage: 'must be a duration such as 30s, 5m, 1h30m',
};
const listener = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', description: 'Address to listen on (default 127.0.0.1; 0.0.0.0 in a pod).' },
    port: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      description: 'Port to listen on (0 = any free port).',
    },
  },
};

// true, false, or the PEM files: one mapping of optional fields rather than a oneOf, so a mistake in it is
// reported once, at the field.
const tls = {
  type: ['boolean', 'object'],
  additionalProperties: false,
  properties: {
    caFile: {
      type: 'string',
      minLength: 1,
      description: 'CA certificate (PEM) that signed the server (default the system trust store).',
    },
    certFile: { type: 'string', minLength: 1, description: 'Client certificate (PEM) for mTLS.' },
    keyFile: { type: 'string', minLength: 1, description: 'Client private key (PEM) for mTLS.' },
    serverName: {
      type: 'string',
      minLength: 1,
      description: 'Name checked against the server certificate (SNI), when not the address host.',
    },
  },
  dependencies: { certFile: ['keyFile'], keyFile: ['certFile'] },
};

const secretSource = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { const: 'env', description: 'Kind of source: env, files or kubernetes.' } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'dir'],
      properties: {
        type: { const: 'files' },
        dir: { type: 'string', minLength: 1, description: '`files`: the folder of <name>/<key> files.' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'namespace'],
      properties: {
        type: { const: 'kubernetes' },
        namespace: {
          type: 'string',
          pattern: dnsLabel,
          description: '`kubernetes`: the namespace whose Secrets are read.',
        },
      },
    },
  ],
};

/** Bytes as an integer or with a binary suffix: 16Mi, 512Ki, 1Gi. */
const size = {
  oneOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', pattern: '^[1-9]\\d*(Ki|Mi|Gi)?$' },
  ],
};

const resourceList = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['group', 'kind'],
    properties: {
      group: { type: 'string', description: 'API group ("" for the core group; * for any).' },
      kind: { type: 'string', minLength: 1, description: 'Kind (* for any).' },
    },
  },
};

const project = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'destinations'],
  properties: {
    name: {
      type: 'string',
      pattern: dnsLabel,
      description: 'Project name that pipeline files name in spec.project.',
    },
    description: { type: 'string', description: 'What the Project is for.' },
    sourceRepos: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description:
        'Repository URLs (globs) its Applications may sync from (default: the repositories bound to it).',
    },
    destinations: {
      description: 'Clusters and namespaces (globs) its Applications may deploy to.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['namespace'],
        properties: {
          cluster: { type: 'string', minLength: 1, description: 'Cluster name (default in-cluster).' },
          namespace: { type: 'string', minLength: 1, description: 'Namespace (a glob).' },
        },
      },
    },
    clusterResourceAllowList: {
      ...resourceList,
      description: 'Cluster-scoped kinds it may manage (default none).',
    },
    clusterResourceDenyList: { ...resourceList, description: 'Cluster-scoped kinds it may not manage.' },
    namespaceResourceAllowList: {
      ...resourceList,
      description: 'Namespaced kinds it may manage (default all).',
    },
    namespaceResourceDenyList: { ...resourceList, description: 'Namespaced kinds it may not manage.' },
  },
};

// Client-side Kubernetes API limits: reads (qps/burst) and writes paced apart, requests in flight, objects applied at once.
const kubeLimits = {
  type: 'object',
  additionalProperties: false,
  properties: {
    qps: { type: 'number', exclusiveMinimum: 0, description: 'Reads per second (default 50).' },
    burst: { type: 'integer', minimum: 1, description: 'Read burst (default 100).' },
    writeQps: { type: 'number', exclusiveMinimum: 0, description: 'Writes per second (default 50).' },
    writeBurst: { type: 'integer', minimum: 1, description: 'Write burst (default 100).' },
    maxInFlight: {
      type: 'integer',
      minimum: 1,
      maximum: 1024,
      description: 'Requests in flight at once (default 32).',
    },
    concurrency: {
      type: 'integer',
      minimum: 1,
      maximum: 256,
      description: 'Objects a sync applies at once (default 8).',
    },
  },
};

const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };

export const workerConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    temporal: {
      description: 'How the worker reaches Temporal.',
      type: 'object',
      additionalProperties: false,
      properties: {
        address: {
          description: 'Temporal frontend host:port (default 127.0.0.1:7233; env SLUICE_TEMPORAL_ADDRESS).',
          type: 'string',
        },
        namespace: {
          description:
            "Temporal namespace (default `default`; env SLUICE_TEMPORAL_NAMESPACE). The worker registers Sluice's search attributes in it at start when missing.",
          type: 'string',
        },
        tls: {
          ...tls,
          description:
            'TLS to the frontend: true, false, or {caFile, certFile, keyFile, serverName} (PEM files; certFile and keyFile together for mTLS). An API key turns TLS on.',
        },
        apiKeyFile: {
          description:
            'File holding the Temporal API key (a mounted Secret); SLUICE_TEMPORAL_API_KEY wins over it. Never sent without TLS.',
          type: 'string',
          minLength: 1,
        },
      },
    },
    taskQueue: {
      description: 'Task queue of the workflow worker (default `sluice`; env SLUICE_TASK_QUEUE).',
      type: 'string',
      minLength: 1,
    },
    identity: {
      description:
        "This process's identity in Temporal, e.g. the pod name (default the SDK's `<pid>@<hostname>`; env SLUICE_WORKER_IDENTITY).",
      type: 'string',
      minLength: 1,
      maxLength: 255,
    },
    tuning: {
      ...workerTuningSchema,
      description:
        "Task slots, pollers and workflow cache of the Temporal workers (absent knobs keep the SDK's defaults; docs/sizing.md).",
    },
    kubeconfig: {
      description:
        "Kubeconfig of the cluster the worker deploys to (`in-cluster`); default KUBECONFIG, ~/.kube/config, then the pod's service account. The worker refuses to start when none answers.",
      type: 'string',
    },
    cacheDir: {
      description:
        'Directory for the Git and render caches (default ~/.cache/sluice/worker); one worker per directory.',
      type: 'string',
    },
    secretsDir: {
      description:
        'Directory of secret files `<secretsDir>/<name>/<key>` (mounted Secrets, or where `sluice repo add` writes), tried after the `secrets` sources.',
      type: 'string',
    },
    secrets: {
      description:
        'Secret sources in lookup order (default: env, then secretsDir): {type: env} reads SLUICE_SECRET_<NAME>_<KEY>, {type: files, dir}, {type: kubernetes, namespace} reads Secrets.',
      type: 'array',
      minItems: 1,
      items: secretSource,
    },
    plugins: {
      description: 'Third-party renderer plugins loaded at start.',
      type: 'object',
      additionalProperties: false,
      properties: {
        renderers: {
          description: 'npm packages whose renderers become plugin names.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
        },
        dir: {
          description:
            'Folder whose node_modules the packages are resolved from (default: where Sluice is installed).',
          type: 'string',
          minLength: 1,
        },
      },
    },
    webhooks: {
      description: 'The push-webhook receiver (POST /webhooks/git/<repository id>).',
      type: 'object',
      additionalProperties: false,
      properties: {
        ...listener.properties,
        maxBodyBytes: {
          type: 'integer',
          minimum: 1,
          description: 'Largest webhook body accepted, in bytes (default 1048576).',
        },
      },
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      description:
        'The status server (GET /healthz, GET /metrics); off unless set (port default 9464, host 127.0.0.1; env SLUICE_METRICS_PORT).',
      properties: {
        ...listener.properties,
        fleetCacheTtl: {
          ...duration,
          description:
            'How long one reading of the applications and rollouts (sluice_application_info, sluice_rollout_*) serves scrapes (default 15s).',
        },
      },
    },
    shutdownGraceTime: {
      ...duration,
      description:
        'How long running activities may finish after SIGTERM before they are cancelled (default 30s).',
    },
    kube: {
      ...kubeLimits,
      description:
        'Client-side Kubernetes API limits per cluster (defaults: reads 50/s burst 100, writes 50/s burst 100, 32 in flight, 8 objects applied at once).',
    },
    serveCluster: {
      description:
        "Serve only this cluster's task queue (a worker inside a destination cluster): no workflows, watchers or webhooks.",
      type: 'string',
      pattern: dnsLabel,
    },
    sdkMetrics: {
      ...listener,
      description:
        "Serve the Temporal SDK's own Prometheus metrics (task slots, poll and schedule-to-start latencies, sticky cache) on this host and port (default 127.0.0.1:9465); off unless set.",
    },
    logLevel: {
      enum: ['trace', 'debug', 'info', 'warn', 'error', 'silent'],
      description:
        'Lowest level of the JSON log lines written (the worker, the Temporal SDK, workflows and activities); `sluice worker --log-level` wins. Default info.',
    },
    deployment: {
      description:
        'Run the workflow worker as a Worker Deployment version (docs/upgrading.md); absent = unversioned.',
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          description: 'Worker Deployment name shared by every version (e.g. `sluice`).',
          type: 'string',
          pattern: '^[A-Za-z0-9][-A-Za-z0-9_]*$',
          maxLength: 200,
        },
        buildId: {
          description:
            "This worker's build ID (default: package version and a hash of the workflow bundle; env SLUICE_DEPLOYMENT_BUILD_ID).",
          type: 'string',
          pattern: '^[A-Za-z0-9][-A-Za-z0-9_.+]*$',
          maxLength: 200,
        },
      },
    },
    prometheus: {
      description:
        'Prometheus for the built-in rollout checks and MetricTemplates that name no address (env SLUICE_PROMETHEUS_ADDRESS).',
      type: 'object',
      additionalProperties: false,
      required: ['address'],
      properties: {
        address: {
          type: 'string',
          pattern: '^https?://',
          description: 'Prometheus base URL, e.g. http://prometheus.monitoring:9090.',
        },
      },
    },
    temporalUiUrl: {
      description: 'Temporal UI base URL for links in alerts (env SLUICE_TEMPORAL_UI_URL).',
      type: 'string',
      pattern: '^https?://',
    },
    slackApiUrl: {
      description: 'Slack Web API base URL (default https://slack.com/api/).',
      type: 'string',
      pattern: '^https?://',
    },
    clusters: {
      description: 'Other clusters this process serves, each on its own task queue sluice-cluster-<name>.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: {
            description: 'Cluster name Applications use in destination.cluster.',
            type: 'string',
            pattern: dnsLabel,
            not: { const: 'in-cluster' },
          },
          kubeconfig: { type: 'string', description: 'Kubeconfig with the credentials to reach it.' },
          context: {
            description: 'Context of the kubeconfig (default its current context).',
            type: 'string',
          },
          labels: {
            description: "Labels an ApplicationSet's clusters generator selects on (selector.matchLabels).",
            type: 'object',
            additionalProperties: { type: 'string' },
          },
          kube: {
            ...kubeLimits,
            description: "This cluster's limits; each one not named is the worker-wide `kube` value.",
          },
        },
      },
    },
    rollouts: {
      description: 'Defaults of every Rollout, as Flagger sets them once at install.',
      type: 'object',
      additionalProperties: false,
      properties: {
        defaultProvider: {
          enum: trafficProviderNames(),
          description:
            "Traffic provider of Rollouts and converted Flagger Canaries that set no spec.provider (Flagger's meshProvider); default kubernetes. Loaded Rollouts carry it in spec.provider; `sluice validate --config FILE` uses it too.",
        },
      },
    },
    applications: {
      description: 'Defaults of every Application.',
      type: 'object',
      additionalProperties: false,
      properties: {
        refreshInterval: {
          ...duration,
          description:
            'How often an Application looks again when no commit or live change woke it (default 3m, at least 10s).',
        },
      },
    },
    repositories: {
      description: 'Git repositories whose pipeline files the worker watches (one watcher workflow each).',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'url'],
        properties: {
          id: {
            description:
              "Short id: the watcher's workflow ID repo/<id> and the webhook URL /webhooks/git/<id>.",
            type: 'string',
            pattern: '^[\\w.-]+$',
          },
          url: {
            description: 'Repository URL (http or https, no credentials in it).',
            type: 'string',
            minLength: 1,
          },
          revision: {
            description: 'Branch, tag or commit to follow (default main).',
            type: 'string',
            minLength: 1,
          },
          path: {
            description: 'Folder of the pipeline files (default the repository root).',
            type: 'string',
          },
          include: {
            description:
              'Only the YAML files matching one of these globs (picomatch, relative to path) are read as pipeline files (default all).',
            ...stringList,
          },
          exclude: {
            description:
              'YAML files matching one of these globs (picomatch, relative to path) are not read, even when included.',
            ...stringList,
          },
          pollInterval: {
            ...duration,
            description: 'How often the repository is polled when no push webhook arrives.',
          },
          allowEmpty: {
            description: 'Let a commit with no pipeline objects stop every application (default false).',
            type: 'boolean',
          },
          secretRef: { ...ref, description: 'Secret with the Git credentials (username/password or token).' },
          webhookSecretRef: {
            ...ref,
            description:
              'Secret whose `secret` key verifies push webhooks (HMAC key for GitHub/generic, token for GitLab).',
          },
          projects: {
            description: "Projects this repository's pipeline files may use (default [default]).",
            ...stringList,
            minItems: 1,
            uniqueItems: true,
          },
        },
      },
    },
    helmRepositories: {
      description:
        "Helm chart repositories (https://, the folder holding index.yaml) and OCI registry locations (oci://host/path) that Applications' chart sources use: credentials and CA bundle per URL prefix. Pipeline files never name chart credentials; requests to a listed repository skip the egress policy, any other chart URL follows it and is sent no credentials.",
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['url'],
        properties: {
          url: {
            description:
              'URL prefix (https://charts.example/stable or oci://registry.example/charts): a chart repoURL equal to it or below it uses this entry (the longest prefix wins). No credentials in it.',
            type: 'string',
            pattern: '^(https?|oci)://',
          },
          secretRef: {
            ...ref,
            description:
              "Secret with `username` and `password` (HTTP basic auth) or `token` (bearer), sent only to this URL's host.",
          },
          caFile: {
            description: "PEM file of the CAs that sign the server's certificate (besides the system ones).",
            type: 'string',
            minLength: 1,
          },
          projects: {
            description: 'Projects whose Applications may use the credentials (default: every Project).',
            ...stringList,
            uniqueItems: true,
          },
          tokenRealms: {
            description:
              "Token services on another host that may receive this entry's credentials when the registry answers with a Bearer challenge naming them (https:// URL prefixes, e.g. https://auth.docker.io/token for Docker Hub). A realm on the registry's own host needs no entry; any other realm is asked without credentials, through the egress policy.",
            type: 'array',
            items: { type: 'string', pattern: '^https://' },
            uniqueItems: true,
          },
        },
      },
    },
    projects: {
      description: 'Projects: what pipeline files bound to them may deploy where (docs/security.md).',
      type: 'array',
      items: project,
    },
    adminRepository: {
      description:
        'A Git repository of Project files the administrator keeps, read in addition to `projects`.',
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { description: 'URL of the admin repository (http or https).', type: 'string', minLength: 1 },
        revision: { description: 'Branch, tag or commit (default main).', type: 'string', minLength: 1 },
        path: { description: 'Folder of the Project files (default the root).', type: 'string' },
        secretRef: { ...ref, description: 'Secret with the Git credentials.' },
        refreshInterval: {
          ...duration,
          description: 'How often the admin repository is read again (default 1m).',
        },
      },
    },
    secretAccess: {
      description:
        'Secret grants: which Projects may use a secret (by secretRef name), and to which hosts it may be sent.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'projects'],
        properties: {
          name: { description: 'Secret name.', type: 'string', minLength: 1 },
          projects: { description: 'Projects allowed to use it.', ...stringList, minItems: 1 },
          hosts: {
            ...stringList,
            description:
              'Hosts it may be sent to (host, host:port or globs); with none, it may be sent nowhere.',
          },
        },
      },
    },
    egress: {
      description: "Where pipeline files' webhooks and metric providers may connect.",
      type: 'object',
      additionalProperties: false,
      properties: {
        allow: {
          ...stringList,
          description:
            'Private destinations pipeline files may reach anyway: CIDRs (10.1.0.0/16), host names or globs (docs/security.md).',
        },
        maxResponseBytes: {
          ...size,
          description: 'Largest response body read (default 1Mi).',
        },
      },
    },
    git: {
      description: 'Limits on what a Git fetch and checkout may hold.',
      type: 'object',
      additionalProperties: false,
      properties: {
        maxObjectBytes: { ...size, description: 'Largest Git object (bytes or 16Mi, 512Ki, 1Gi).' },
        maxPackBytes: { ...size, description: 'Largest pack fetched.' },
        maxCheckoutBytes: { ...size, description: 'Largest checkout.' },
        maxFiles: { description: 'Most files in a checkout.', type: 'integer', minimum: 1 },
      },
    },
    render: {
      description: 'Renderer settings.',
      type: 'object',
      additionalProperties: false,
      properties: {
        kustomize: {
          description: 'Kustomize renderer settings.',
          type: 'object',
          additionalProperties: false,
          properties: {
            remoteBases: {
              ...stringList,
              description: 'Remote kustomize bases allowed (URL prefixes); none by default.',
            },
          },
        },
      },
    },
    approvers: {
      description:
        'People who may approve pipeline steps, with their Ed25519 public keys (`sluice approver keygen`).',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { description: 'Approver name.', type: 'string', pattern: '^[\\w.@-]+$' },
          publicKey: { description: 'Public key in PEM.', type: 'string', minLength: 1 },
          publicKeyFile: { description: 'File holding the public key in PEM.', type: 'string', minLength: 1 },
          groups: { ...stringList, description: 'Groups the approver belongs to.' },
        },
        oneOf: [{ required: ['publicKey'] }, { required: ['publicKeyFile'] }],
      },
    },
    requireSignedApprovals: { description: 'Accept only signed approvals (default false).', type: 'boolean' },
  },
} as const;
