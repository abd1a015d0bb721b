import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The binary to run for a render tool: $SLUICE_TOOLS_DIR/bin/<tool> (default ~/.cache/sluice/tools/bin) when it exists, else <tool> from PATH. */
export function findTool(tool: string, env: NodeJS.ProcessEnv = process.env): string {
  // Same default as the local stack's tool cache (scripts/bootstrap-tools.sh installs kustomize and helm there).
  const dir = env.SLUICE_TOOLS_DIR || join(env.HOME || homedir(), '.cache', 'sluice', 'tools');
  const candidate = join(resolve(dir), 'bin', tool);
  return existsSync(candidate) ? candidate : tool;
}
