/** Client-side limits for one cluster's Kubernetes API, like client-go's QPS/burst, with reads and writes apart. */
export interface KubeLimits {
  /** Reads (GET, LIST, the start of a WATCH): requests per second on average. */
  qps: number;
  /** Reads: how many may go at once before the pace applies. */
  burst: number;
  /** Writes (POST, PUT, PATCH, DELETE): requests per second on average. */
  writeQps: number;
  /** Writes: how many may go at once before the pace applies. */
  writeBurst: number;
  /** Requests on the wire at once (sockets of the cluster's keep-alive pool); watches are not counted. */
  maxInFlight: number;
}

/** The defaults a worker uses when its config names no limits. */
export const defaultKubeLimits: KubeLimits = {
  qps: 50,
  burst: 100,
  writeQps: 50,
  writeBurst: 100,
  maxInFlight: 32,
};
