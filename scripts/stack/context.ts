import { join } from 'node:path';
import type { StackConfig } from './config.js';
import { type StackPaths, stackPaths } from './paths.js';
import type { Progress } from './wait.js';

/** Everything a component needs to start or report itself. */
export interface StackContext {
  config: StackConfig;
  paths: StackPaths;
  progress: Progress;
  /** Absolute path of a tool from the bootstrap cache. */
  tool: (name: string) => string;
}

/** Builds the context shared by the stack's components. */
export function stackContext(config: StackConfig, progress: Progress): StackContext {
  return { config, paths: stackPaths(config), progress, tool: (name) => join(config.toolsBin, name) };
}
