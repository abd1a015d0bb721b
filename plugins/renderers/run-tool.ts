import { type ExecFileException, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RenderError, RenderToolError } from './renderer.js';

const execFileAsync = promisify(execFile);

/** Limits on a render tool run; every field has a default. */
export interface ToolOptions {
  /** The binary to run, instead of findTool's answer. */
  binary?: string;
  /** Kill the tool after this long. Default 90 s, Argo CD's default for its tools. */
  timeoutMs?: number;
  /** Fail when the tool writes more than this to stdout or stderr. Default 64 MiB. */
  maxOutputBytes?: number;
}

/** Default time limit of a render tool. */
export const defaultTimeoutMs = 90_000;
/** Default output limit of a render tool, and of the files the directory renderer reads. */
export const defaultMaxOutputBytes = 64 * 1024 * 1024;

/** One run of a render tool. */
export interface ToolRun {
  /** The tool's name, for messages ("helm"). */
  tool: string;
  binary: string;
  args: string[];
  cwd: string;
  /** The whole environment: the tool inherits nothing from the worker's. */
  env: NodeJS.ProcessEnv;
  /** The path the run is about (relative to repoRoot), for messages. */
  file: string;
  /** The repository root: tools print absolute paths, which messages show relative to it. */
  root: string;
  /** What was being done, for messages ("kustomize build"). */
  action: string;
}

/** Runs a tool without a shell and returns its stdout; a failure becomes a RenderError carrying the tool's stderr. */
export async function runTool(run: ToolRun, limits: ToolOptions = {}): Promise<string> {
  const timeout = limits.timeoutMs ?? defaultTimeoutMs;
  const maxBuffer = limits.maxOutputBytes ?? defaultMaxOutputBytes;
  try {
    const { stdout } = await execFileAsync(run.binary, run.args, {
      cwd: run.cwd,
      env: run.env,
      timeout,
      maxBuffer,
      killSignal: 'SIGKILL',
      encoding: 'utf8',
      windowsHide: true,
    });
    return stdout;
  } catch (e) {
    throw toolFailure(run, e as ExecFileException & { stderr?: string }, timeout, maxBuffer);
  }
}

function toolFailure(
  run: ToolRun,
  e: ExecFileException & { stderr?: string },
  timeout: number,
  maxBuffer: number,
): Error {
  if (e.code === 'ENOENT')
    return new RenderToolError(
      `${run.tool} not found (tried ${run.binary}): install it with scripts/bootstrap-tools.sh, set SLUICE_TOOLS_DIR, or put it on PATH`,
      { cause: e },
    );
  if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
    return new RenderError(`${run.action} wrote more than ${maxBuffer} bytes of output`, {
      file: run.file,
      cause: e,
    });
  if (e.killed)
    return new RenderToolError(`${run.file}: ${run.action} timed out after ${timeout / 1000}s`, { cause: e });
  const stderr = (e.stderr ?? '').trim() || e.message;
  // Both tools are cobra CLIs, which print their usage after a usage error: keep that out of the
  // message, and the worker's checkout path too (the user knows their repository, not our disk).
  const message = stderr
    .split(/\nUsage:\n/)[0]
    ?.replaceAll(`${run.root}/`, '')
    .replace(/\n+Use --debug flag to render out invalid YAML$/, '')
    .trim();
  return new RenderError(`${run.action} failed: ${message}`, {
    file: run.file,
    toolMessage: stderr,
    cause: e,
  });
}

/** The only worker environment a tool inherits: PATH, TMPDIR and the variables named in keep; never credentials. */
export function baseToolEnv(keep: readonly string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'TMPDIR', ...keep]) if (process.env[k] !== undefined) env[k] = process.env[k];
  return env;
}
