import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, inject } from 'vitest';
import type { SluiceActivities } from '../../../activities/index.js';

// Workers log only errors: activities the fakes fail on purpose would otherwise fill the output with warnings.
const quiet = () => undefined;
try {
  Runtime.install({
    logger: {
      log: quiet,
      trace: quiet,
      debug: quiet,
      info: quiet,
      warn: quiet,
      error: (m, meta) => console.error(m, meta),
    },
  });
} catch {
  // Installed already by an earlier test file in the same process.
}

let connections:
  | Promise<{ client: Client; native: NativeConnection; close: () => Promise<void> }>
  | undefined;

/** A client and a worker connection to the project's shared server, one pair per test file. */
function connect() {
  connections ??= (async () => {
    const address = inject('temporalAddress');
    const native = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    return {
      client: new Client({ connection }),
      native,
      close: async () => {
        await connection.close();
        await native.close();
      },
    };
  })();
  return connections;
}

afterAll(async () => {
  if (connections) await (await connections).close();
});

let queues = 0;

/** What a test gets: a client, the task queue its worker polls, and a unique id for its workflows. */
export interface WorkflowTestContext {
  client: Client;
  taskQueue: string;
  /** A workflow ID no other test (or run) uses: `<prefix>-<queue>`. */
  id: (prefix: string) => string;
}

/**
 * Runs `body` while a worker polls a fresh task queue with the shared workflow bundle and the given
 * (fake) activities; the worker shuts down when `body` settles.
 */
export async function withWorker<T>(
  activities: Partial<SluiceActivities>,
  body: (ctx: WorkflowTestContext) => Promise<T>,
): Promise<T> {
  const { client, native } = await connect();
  const taskQueue = `wf-test-${process.pid}-${Date.now().toString(36)}-${++queues}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities,
  });
  return worker.runUntil(body({ client, taskQueue, id: (prefix) => `${prefix}-${taskQueue}` }));
}
