import { createHash } from 'node:crypto';
import type * as http from 'node:http';
import type * as https from 'node:https';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';
import { defaultKubeLimits, type KubeLimits } from './kube-limits.js';
import { RateLimiter } from './rate-limiter.js';

type Agent = http.Agent | https.Agent;
type FetchInit = ReturnType<KubeConfig['applyToFetchOptions']>;
type AgentFactory = (cluster: unknown, options: https.AgentOptions) => Agent;

// HTTP methods that change the cluster; everything else is paced as a read.
const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// An agent replaced because the credentials changed (exec plugin gave a new client cert) is destroyed this much
// later, so requests already on it finish.
const retiredAgentGraceMs = 120_000;
// Idle pooled sockets close after this (Node's agent destroys only free sockets on timeout), before the API server's
// own idle timeout (90 s in kube-apiserver) could close one just as a request is written to it.
const idleSocketTimeoutMs = 30_000;

/**
 * A KubeConfig whose clients share one keep-alive connection pool for the cluster, and whose requests are paced by
 * separate read and write limiters. client-node 1.4 builds a new agent (so a new TLS connection) for every request;
 * here the library still resolves credentials per request (exec plugins, token files, refreshed as before), and the
 * request is then sent on the cluster's pooled agent built from the same TLS material.
 */
export class PooledKubeConfig extends KubeConfig {
  private limits: KubeLimits = defaultKubeLimits;
  private reads = new RateLimiter(this.limits.qps, this.limits.burst);
  private writes = new RateLimiter(this.limits.writeQps, this.limits.writeBurst);
  // Requests: at most maxInFlight sockets. Watches hold a socket each for minutes, so they get a pool of their own.
  private readonly pools = {
    requests: new AgentSlot({ timeout: idleSocketTimeoutMs }),
    watches: new AgentSlot({}),
  };

  /** Sets the limits for requests from now on (the pool's socket cap applies to new connections at once). */
  setLimits(limits: KubeLimits): void {
    this.limits = limits;
    this.reads = new RateLimiter(limits.qps, limits.burst);
    this.writes = new RateLimiter(limits.writeQps, limits.writeBurst);
    this.pools.requests.setMaxSockets(limits.maxInFlight);
  }

  /** The pooled agents in use (for tests and metrics: their sockets are the cluster's connections). */
  agents(): { requests?: Agent; watches?: Agent } {
    return { requests: this.pools.requests.current, watches: this.pools.watches.current };
  }

  // Every generated API client (makeApiClient, KubernetesObjectApi) authenticates each request through here.
  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await (writeMethods.has(context.getHttpMethod()) ? this.writes : this.reads).take();
    await super.applySecurityAuthentication(context);
    const perRequest = context.getAgent();
    context.setAgent(this.pools.requests.agentLike(perRequest, this.factory(), this.limits.maxInFlight));
  }

  // Watch, Log and other streaming helpers build their fetch options here; they are long-lived reads.
  override async applyToFetchOptions(opts: https.RequestOptions): FetchInit {
    await this.reads.take();
    const init = await super.applyToFetchOptions(opts);
    init.agent = this.pools.watches.agentLike(init.agent as Agent, this.factory(), Number.POSITIVE_INFINITY);
    return init;
  }

  // The library's own factory (private in its typings) knows proxies and plain-http clusters; reuse it.
  private factory(): (options: https.AgentOptions) => Agent {
    const create = (this as unknown as { createAgent: AgentFactory }).createAgent.bind(this);
    return (options) => create(this.getCurrentCluster(), options);
  }
}

/** One pooled agent, rebuilt only when the TLS material the library resolved for a request changes. */
class AgentSlot {
  current?: Agent;
  private key?: string;

  constructor(private readonly extra: https.AgentOptions) {}

  /** The pooled agent carrying the same TLS material as the library's per-request agent. */
  agentLike(
    perRequest: Agent | undefined,
    create: (o: https.AgentOptions) => Agent,
    maxSockets: number,
  ): Agent {
    const tls = tlsOptions(perRequest);
    const key = fingerprint(tls);
    if (this.current && key === this.key) return this.current;
    const retired = this.current;
    if (retired) setTimeout(() => retired.destroy(), retiredAgentGraceMs).unref();
    this.current = create({ ...tls, ...this.extra, keepAlive: true, maxSockets });
    this.key = key;
    return this.current;
  }

  /** Changes the socket cap of the agent in use and of those built later (they read it from the config). */
  setMaxSockets(maxSockets: number): void {
    if (this.current) this.current.maxSockets = maxSockets;
  }
}

// What of the library's agent options decides which server and which client identity a connection is for.
const tlsKeys = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

function tlsOptions(agent: Agent | undefined): https.AgentOptions {
  const options = (agent as { options?: https.AgentOptions } | undefined)?.options ?? {};
  const tls: Record<string, unknown> = {};
  for (const k of tlsKeys) if (options[k] !== undefined) tls[k] = options[k];
  return tls as https.AgentOptions;
}

function fingerprint(tls: https.AgentOptions): string {
  const hash = createHash('sha256');
  for (const k of tlsKeys) hash.update(`${k}=${String(tls[k] ?? '')}\0`);
  return hash.digest('hex');
}
