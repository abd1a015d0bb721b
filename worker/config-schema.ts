/** JSON Schema of the worker config file (`sluice worker --config FILE`); defaults are filled in by config.ts. */

import { workerTuningSchema } from './tuning.js';

const ref = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 } },
};

const dnsLabel = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const duration = { type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$' };
const listener = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string' },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
  },
};

const tls = {
  oneOf: [
    { type: 'boolean' },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        caFile: { type: 'string', minLength: 1 },
        certFile: { type: 'string', minLength: 1 },
        keyFile: { type: 'string', minLength: 1 },
        serverName: { type: 'string', minLength: 1 },
      },
      dependencies: { certFile: ['keyFile'], keyFile: ['certFile'] },
    },
  ],
};

const secretSource = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { const: 'env' } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'dir'],
      properties: { type: { const: 'files' }, dir: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'namespace'],
      properties: {
        type: { const: 'kubernetes' },
        namespace: { type: 'string', pattern: dnsLabel },
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
    properties: { group: { type: 'string' }, kind: { type: 'string', minLength: 1 } },
  },
};

const project = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'destinations'],
  properties: {
    name: { type: 'string', pattern: dnsLabel },
    description: { type: 'string' },
    sourceRepos: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    destinations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['namespace'],
        properties: {
          cluster: { type: 'string', minLength: 1 },
          namespace: { type: 'string', minLength: 1 },
        },
      },
    },
    clusterResourceAllowList: resourceList,
    clusterResourceDenyList: resourceList,
    namespaceResourceAllowList: resourceList,
    namespaceResourceDenyList: resourceList,
  },
};

// Client-side Kubernetes API limits: reads (qps/burst) and writes paced apart, requests in flight, objects applied at once.
const kubeLimits = {
  type: 'object',
  additionalProperties: false,
  properties: {
    qps: { type: 'number', exclusiveMinimum: 0 },
    burst: { type: 'integer', minimum: 1 },
    writeQps: { type: 'number', exclusiveMinimum: 0 },
    writeBurst: { type: 'integer', minimum: 1 },
    maxInFlight: { type: 'integer', minimum: 1, maximum: 1024 },
    concurrency: { type: 'integer', minimum: 1, maximum: 256 },
  },
};

const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };

export const workerConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    temporal: {
      type: 'object',
      additionalProperties: false,
      properties: {
        address: { type: 'string' },
        namespace: { type: 'string' },
        tls,
        apiKeyFile: { type: 'string', minLength: 1 },
      },
    },
    taskQueue: { type: 'string', minLength: 1 },
    identity: { type: 'string', minLength: 1, maxLength: 255 },
    tuning: workerTuningSchema,
    kubeconfig: { type: 'string' },
    cacheDir: { type: 'string' },
    secretsDir: { type: 'string' },
    secrets: { type: 'array', minItems: 1, items: secretSource },
    plugins: {
      type: 'object',
      additionalProperties: false,
      properties: {
        renderers: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        dir: { type: 'string', minLength: 1 },
      },
    },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      properties: { ...listener.properties, maxBodyBytes: { type: 'integer', minimum: 1 } },
    },
    metrics: listener,
    shutdownGraceTime: duration,
    kube: kubeLimits,
    serveCluster: { type: 'string', pattern: dnsLabel },
    deployment: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9][-A-Za-z0-9_]*$', maxLength: 200 },
        buildId: { type: 'string', pattern: '^[A-Za-z0-9][-A-Za-z0-9_.+]*$', maxLength: 200 },
      },
    },
    prometheus: {
      type: 'object',
      additionalProperties: false,
      required: ['address'],
      properties: { address: { type: 'string', pattern: '^https?://' } },
    },
    temporalUiUrl: { type: 'string', pattern: '^https?://' },
    slackApiUrl: { type: 'string', pattern: '^https?://' },
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', pattern: dnsLabel, not: { const: 'in-cluster' } },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
          kube: kubeLimits,
        },
      },
    },
    applications: {
      type: 'object',
      additionalProperties: false,
      properties: { refreshInterval: duration },
    },
    repositories: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'url'],
        properties: {
          id: { type: 'string', pattern: '^[\\w.-]+$' },
          url: { type: 'string', minLength: 1 },
          revision: { type: 'string', minLength: 1 },
          path: { type: 'string' },
          pollInterval: duration,
          allowEmpty: { type: 'boolean' },
          secretRef: ref,
          webhookSecretRef: ref,
          projects: { ...stringList, minItems: 1, uniqueItems: true },
        },
      },
    },
    projects: { type: 'array', items: project },
    adminRepository: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', minLength: 1 },
        revision: { type: 'string', minLength: 1 },
        path: { type: 'string' },
        secretRef: ref,
        refreshInterval: duration,
      },
    },
    secretAccess: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'projects'],
        properties: {
          name: { type: 'string', minLength: 1 },
          projects: { ...stringList, minItems: 1 },
          hosts: stringList,
        },
      },
    },
    egress: {
      type: 'object',
      additionalProperties: false,
      properties: { allow: stringList, maxResponseBytes: size },
    },
    git: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxObjectBytes: size,
        maxPackBytes: size,
        maxCheckoutBytes: size,
        maxFiles: { type: 'integer', minimum: 1 },
      },
    },
    render: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kustomize: {
          type: 'object',
          additionalProperties: false,
          properties: { remoteBases: stringList },
        },
      },
    },
    approvers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', pattern: '^[\\w.@-]+$' },
          publicKey: { type: 'string', minLength: 1 },
          publicKeyFile: { type: 'string', minLength: 1 },
          groups: stringList,
        },
        oneOf: [{ required: ['publicKey'] }, { required: ['publicKeyFile'] }],
      },
    },
    requireSignedApprovals: { type: 'boolean' },
  },
} as const;
