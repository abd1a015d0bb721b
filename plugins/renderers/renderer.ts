// The renderer plugin interface: a renderer turns an application's path in a Git checkout into the
// Kubernetes objects to sync. Built-ins live beside this file; third-party ones come from npm packages.

import type { KubernetesObject } from '@kubernetes/client-node';
import type { NonRetryableErrorType } from '../../core/errors.js';

/** What a renderer is asked to render. */
export interface RenderInput {
  /** Absolute path of a read-only checkout of the repository at the revision being synced. */
  repoRoot: string;
  /** Path of the application inside the repository (Application.spec.source.path), relative to repoRoot. */
  path: string;
  /** Application name and destination namespace (helm release name/namespace default to these). */
  appName: string;
  namespace: string;
  /** The Application's spec.source.render options minus `plugin` (see the schema schemas/application.json, $defs render). */
  options: Record<string, unknown>;
  /** Multi-source: the checkout root of each source with a ref, for "$<ref>/…" Helm value files. */
  refRoots?: Record<string, string>;
  /** Helm values read from the cluster for the helm renderer's valuesFrom option, in order; set by the sync activity. */
  valuesFrom?: Record<string, unknown>[];
}

/** The rendered objects, in the order the sources produced them. */
export interface RenderResult {
  objects: KubernetesObject[];
  /** files read, for messages */
  sources?: string[];
}

/** A renderer plugin. */
export interface Renderer {
  readonly name: string;
  render(input: RenderInput): Promise<RenderResult>;
}

/** Where a render error comes from and what the tool itself said. */
export interface RenderErrorDetails {
  /** File relative to repoRoot (or the tool's output) the error is about. */
  file?: string;
  /** 1-based line in file, when known. */
  line?: number;
  /** The tool's (or YAML parser's) own message, unedited. */
  toolMessage?: string;
  cause?: unknown;
}

/** The manifests cannot be rendered as they are in Git: retrying the same revision cannot help. */
export class RenderError extends Error {
  override name = 'RenderError' as const satisfies NonRetryableErrorType;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly toolMessage: string | undefined;

  constructor(message: string, details: RenderErrorDetails = {}) {
    const where = details.file ? `${details.file}${details.line ? `:${details.line}` : ''}: ` : '';
    super(`${where}${message}`, { cause: details.cause });
    this.file = details.file;
    this.line = details.line;
    this.toolMessage = details.toolMessage;
  }
}

/** A render tool could not do its job on this worker (missing binary, timeout): a retry may succeed. */
export class RenderToolError extends Error {
  override name = 'RenderToolError' as const;
}

/** No renderer has the requested plugin name. */
export class UnknownPluginError extends Error {
  override name = 'UnknownPluginError' as const satisfies NonRetryableErrorType;
}

/** A third-party renderer package failed to load or exports the wrong shape. */
export class PluginLoadError extends Error {
  override name = 'PluginLoadError' as const satisfies NonRetryableErrorType;
}
