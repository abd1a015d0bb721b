// Child-process entry of the benchmark's Sluice worker: `sluice worker --config <file>` from this checkout's
// source (loadWorkerConfig + runWorker), so the worker measured is the one users run — repository watchers,
// the push-webhook receiver, the live-state cache — in a process of its own (its CPU and memory are its own)
// with credentials of its own (its API requests are user "bench-sluice" in the audit log).
import { loadWorkerConfig } from '../../worker/config.js';
import { runWorker } from '../../worker/run-worker.js';

await runWorker(loadWorkerConfig(process.argv[2]));
process.exit(0);
