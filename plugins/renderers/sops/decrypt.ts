// One run of the sops CLI: the reference implementation of SOPS, which Flux's kustomize-controller uses as
// a library. Keys reach it in SOPS_AGE_KEY only (never argv, never a file); it gets no network, no home
// folder of the worker's and no credentials, so only the age keys it is given can open a file.

import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RenderError, RenderToolError } from '../renderer.js';
import { baseToolEnv, defaultMaxOutputBytes, defaultTimeoutMs } from '../run-tool.js';
import { findTool } from '../tool-path.js';
import type { SopsFormat } from './format.js';

const execFileAsync = promisify(execFile);

/** One file to decrypt. */
export interface SopsCall {
  /** Absolute path of the encrypted file (inside the private render copy). */
  path: string;
  format: SopsFormat;
  /** age private keys, one per line: the value of SOPS_AGE_KEY. */
  ageKeys: string;
  /** A private, empty folder sops may use as its home. */
  home: string;
  /** The file relative to the repository, for messages. */
  file: string;
  /** Name of the secret the keys came from, for messages. */
  secretName: string;
  /** age recipients of the file, for messages. */
  recipients: string[];
  binary?: string;
  timeoutMs?: number;
}

// An address nothing listens on: cloud key services (KMS, Vault) named in a file's metadata fail at once
// instead of sending requests from the worker. Only age keys decrypt.
const noNetwork = 'http://127.0.0.1:9';

/** The environment sops runs with: PATH and TMPDIR of the worker's, the keys, and nothing that reaches out. */
export async function sopsEnv(home: string, ageKeys: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(join(home, 'gnupg'), { recursive: true, mode: 0o700 });
  return {
    ...baseToolEnv(),
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    GNUPGHOME: join(home, 'gnupg'),
    SOPS_AGE_KEY: ageKeys,
    HTTP_PROXY: noNetwork,
    HTTPS_PROXY: noNetwork,
    http_proxy: noNetwork,
    https_proxy: noNetwork,
    NO_PROXY: '',
    no_proxy: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Decrypts one file and returns the plaintext; a failure is a RenderError naming the file and what to do. */
export async function sopsDecrypt(call: SopsCall): Promise<string> {
  const binary = call.binary ?? findTool('sops');
  const args = ['decrypt', `--input-type=${call.format}`, `--output-type=${call.format}`, '--', call.path];
  try {
    const { stdout } = await execFileAsync(binary, args, {
      cwd: call.home,
      env: await sopsEnv(call.home, call.ageKeys),
      timeout: call.timeoutMs ?? defaultTimeoutMs,
      maxBuffer: defaultMaxOutputBytes,
      killSignal: 'SIGKILL',
      encoding: 'utf8',
    });
    return stdout;
  } catch (e) {
    // The error object carries the command's environment-free argv and stderr; neither holds key or plaintext,
    // yet only a message built here leaves this function (no cause: Temporal would serialize it into history).
    throw failure(call, binary, e as NodeJS.ErrnoException & { stderr?: string; killed?: boolean });
  }
}

function failure(
  call: SopsCall,
  binary: string,
  e: NodeJS.ErrnoException & { stderr?: string; killed?: boolean },
): Error {
  if (e.code === 'ENOENT')
    return new RenderToolError(
      `sops not found (tried ${binary}): install it with scripts/bootstrap-tools.sh sops, set SLUICE_TOOLS_DIR, or put it on PATH`,
    );
  if (e.killed) return new RenderToolError(`${call.file}: sops decrypt timed out`);
  const stderr = e.stderr ?? '';
  const to = call.recipients.length ? ` (it is encrypted for ${call.recipients.join(', ')})` : '';
  if (/MAC mismatch/i.test(stderr))
    return new RenderError(
      'cannot be decrypted: its MAC does not match its content, so it was changed after sops encrypted it; encrypt it again with sops and commit it',
      { file: call.file },
    );
  if (/Failed to get the data key|no identity matched|failed to decrypt|no age identities/i.test(stderr))
    return new RenderError(
      `cannot be decrypted with the age keys in secret "${call.secretName}"${to}: add the matching private key to the secret as a key ending in .agekey, or re-encrypt the file for the secret's key (sops updatekeys)`,
      { file: call.file },
    );
  const first = (stderr.split('\n').find((l) => l.trim()) ?? e.message).replaceAll(call.path, call.file);
  return new RenderError(`cannot be decrypted by sops: ${first.slice(0, 300)}`, { file: call.file });
}
