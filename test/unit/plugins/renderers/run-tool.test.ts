import { describe, expect, it } from 'vitest';
import { RenderError, RenderToolError } from '../../../../plugins/renderers/renderer.js';
import { runTool, type ToolRun } from '../../../../plugins/renderers/run-tool.js';
import { findTool } from '../../../../plugins/renderers/tool-path.js';
import { rejection, tempRepo } from './helpers.js';

// Node itself stands in for a render tool: a real process, with no shell and no mocks.
function node(script: string, ...args: string[]): ToolRun {
  const root = tempRepo();
  return {
    ...{ tool: 'node', binary: process.execPath, args: ['-e', script, ...args], cwd: root },
    ...{ env: { PATH: process.env.PATH }, file: 'app', root, action: 'node -e' },
  };
}

describe('runTool', () => {
  it('passes arguments without a shell and returns stdout', async () => {
    const hostile = '$(touch pwned); echo `id` > x; *';
    expect(await runTool(node('process.stdout.write(process.argv[1])', hostile))).toBe(hostile);
  });

  it('gives the tool only the environment it is handed', async () => {
    expect(await runTool(node('process.stdout.write(Object.keys(process.env).sort().join())'))).toBe('PATH');
  });

  it('turns a failure into a RenderError with stderr, the repository path removed', async () => {
    const run = node(
      'console.error("Error: bad thing in " + process.cwd() + "/base/x.yaml\\nUsage:\\n  help"); process.exit(2)',
    );
    const e = await rejection(runTool(run));
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toBe('app: node -e failed: Error: bad thing in base/x.yaml');
    expect((e as RenderError).toolMessage).toContain('Usage:');
  });

  it('kills a tool that runs too long', async () => {
    const e = await rejection(runTool(node('setTimeout(() => {}, 10_000)'), { timeoutMs: 200 }));
    expect(e).toBeInstanceOf(RenderToolError);
    expect(e.message).toBe('app: node -e timed out after 0.2s');
  });

  it('stops a tool that writes too much', async () => {
    const e = await rejection(
      runTool(node('process.stdout.write("x".repeat(5000))'), { maxOutputBytes: 1000 }),
    );
    expect(e).toBeInstanceOf(RenderError);
    expect(e.message).toBe('app: node -e wrote more than 1000 bytes of output');
  });

  it('says how to install a missing tool', async () => {
    const e = await rejection(runTool({ ...node(''), tool: 'kustomize', binary: '/nonexistent/kustomize' }));
    expect(e).toBeInstanceOf(RenderToolError);
    expect(e.message).toMatch(
      /^kustomize not found \(tried \/nonexistent\/kustomize\): install it with scripts\/bootstrap-tools\.sh/,
    );
  });
});

describe('findTool', () => {
  it('prefers the tools directory and falls back to PATH', () => {
    const tools = tempRepo({ 'bin/helm': '' });
    expect(findTool('helm', { SLUICE_TOOLS_DIR: tools })).toBe(`${tools}/bin/helm`);
    expect(findTool('kustomize', { SLUICE_TOOLS_DIR: tools })).toBe('kustomize');
    expect(findTool('helm', { HOME: tools })).toBe('helm');
  });
});
