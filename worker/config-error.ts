/** Thrown for a worker config that does not parse, does not fit the schema, or cannot work. */
export class WorkerConfigError extends Error {
  override name = 'WorkerConfigError';
}
