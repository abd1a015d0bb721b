import type { StackConfig } from './config.js';
import { postgresUser } from './postgres.js';

/**
 * History shards. A workflow's shard is fixed by its ID, so this cannot change once the databases hold data.
 * 8 gives the history service parallel shard queues for 2 CPUs and N = 3000 applications (~400 busy
 * workflows a shard at the peak of a full sync) without the per-shard overhead of a production count such as
 * 512 (each shard owns task queues, timers and a DB lease; 512 idle shards cost more than this machine has).
 */
export const historyShards = 8;

/** The internal ports, at fixed offsets from `temporalInternal`. */
export function temporalInternalPorts(base: number) {
  return {
    historyGrpc: base,
    historyMembership: base + 1,
    matchingGrpc: base + 2,
    matchingMembership: base + 3,
    workerGrpc: base + 4,
    workerMembership: base + 5,
    frontendMembership: base + 6,
    frontendHttp: base + 7,
    metrics: base + 8,
  };
}

/** Databases the server uses, created and migrated by temporal-sql-tool. */
export const temporalDatabases = { default: 'temporal', visibility: 'temporal_visibility' } as const;

/**
 * The server's config (go.temporal.io/server common/config.Config) as a plain object; written as JSON, which is
 * YAML. Mirrors the dev server's choices (one cluster, no archival, no global namespaces) on PostgreSQL.
 */
export function temporalServerConfig(config: StackConfig, dynamicConfigFile: string) {
  const { host, ports } = config;
  const p = temporalInternalPorts(ports.temporalInternal);
  const frontend = `${host}:${ports.temporal}`;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${host}:${ports.postgres}`,
      connectProtocol: 'tcp',
      user: postgresUser,
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, httpPort?: number) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: host, ...(httpPort ? { httpPort } : {}) },
  });
  return {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: historyShards,
      datastores: {
        'postgres-default': store(temporalDatabases.default, 20),
        'postgres-visibility': store(temporalDatabases.visibility, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: host },
      // Actions, persistence latencies and shard counts for the scale measurements.
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `${host}:${p.metrics}` },
      },
    },
    services: {
      frontend: service(ports.temporal, p.frontendMembership, p.frontendHttp),
      history: service(p.historyGrpc, p.historyMembership),
      matching: service(p.matchingGrpc, p.matchingMembership),
      worker: service(p.workerGrpc, p.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: frontend,
          httpAddress: `${host}:${p.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/**
 * Dynamic config: the dev server's visibility rate (the CLI, the UI and `sluice status` list workflows; the
 * server's default of 10/s throttles them). Everything else keeps v1.29's defaults, which already enable
 * updates, worker versioning and multi-operations.
 */
export const temporalDynamicConfig = `frontend.namespaceRPS.visibility:
  - value: 100
`;
