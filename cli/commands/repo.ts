import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { gitAuth } from '../../activities/git/auth.js';
import { RepoCache } from '../../activities/git/repo-cache.js';
import { checkRepoUrl, redactUrl } from '../../activities/git/repo-url.js';
import { CliError, ExitCode } from '../errors.js';
import { parseDuration } from '../flags.js';
import { type OutputFormat, outputOption, printAs, printTable } from '../output.js';
import {
  defaultConfigFile,
  readConfig,
  readConfigDocument,
  upsertListEntry,
  writeFileSecret,
} from '../worker-config-file.js';

export type ConfigOpt = { config: string };

/** The --config option of the commands that edit the worker config. */
export const configOption = (c: Command) =>
  c.option(
    '-c, --config <file>',
    'the worker config file to edit (`sluice worker --config`)',
    defaultConfigFile,
  );

/** Reads all of stdin (a password piped in), without the trailing newline. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new CliError(
      '--password-stdin reads the password from stdin',
      'pipe it in: `… | sluice repo add …`',
      ExitCode.usage,
    );
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

interface RepoAddOptions extends ConfigOpt {
  revision: string;
  path: string;
  username?: string;
  passwordStdin?: boolean;
  secretsDir?: string;
  pollInterval?: string;
  upsert?: boolean;
  check: boolean;
  project?: string[];
}

/** `sluice repo add ID URL`. */
function repoAddCommand(): Command {
  return (
    configOption(new Command('add'))
      .description(
        'add a repository for the worker to watch; credentials go to the file secret store, never into the config or Git',
      )
      .argument('<id>', 'short id: the watcher runs as workflow repo/<id>')
      .argument('<url>', 'https:// (or http://) URL of the repository')
      .option('--revision <branch|tag|sha>', 'what to watch', 'main')
      .option('--path <dir>', 'folder of the pipeline files in the repository', '.')
      .option('--username <name>', 'user name for HTTP Basic auth (with --password-stdin)')
      .option('--password-stdin', 'read the password (or, without --username, a token) from stdin')
      .option(
        '--secrets-dir <dir>',
        'file secret store (default: the config’s secretsDir, else sluice-secrets/ beside it)',
      )
      // Checked here, kept as written: the config file holds the text the user typed.
      .option('--poll-interval <duration>', 'how often the watcher polls, e.g. 30s, 3m', (v: string) => {
        parseDuration(v);
        return v;
      })
      .option(
        '--project <name>',
        'a Project its pipeline files may use, repeatable (default: the default Project); see docs/security.md',
        (v: string, all: string[] = []) => [...all, v],
      )
      .option('--upsert', 'replace a repository with the same id')
      .option('--no-check', 'do not contact the repository to check the URL, credentials and revision')
      .action(async (id: string, url: string, opts: RepoAddOptions) => {
        try {
          checkRepoUrl(url);
        } catch (err) {
          throw new CliError((err as Error).message, undefined, ExitCode.usage);
        }
        if (opts.username && !opts.passwordStdin)
          throw new CliError(
            '--username needs --password-stdin',
            'pipe the password in: `printf %s "$PW" | sluice repo add … --password-stdin`',
            ExitCode.usage,
          );
        const secret = opts.passwordStdin
          ? await readStdin().then((pw): Record<string, string> => {
              if (!pw) throw new CliError('stdin was empty: no password', undefined, ExitCode.usage);
              return opts.username ? { username: opts.username, password: pw } : { token: pw };
            })
          : undefined;
        if (opts.check) {
          const cache = new RepoCache(join(tmpdir(), 'sluice-repo-check'));
          await cache.resolve(url, opts.revision, gitAuth(url, secret)).catch((err: Error) => {
            throw new CliError(
              `cannot use ${url}: ${err.message}`,
              'check the URL, credentials and --revision, or add --no-check',
            );
          });
        }
        const current = readConfig(opts.config);
        const secretsDir = resolve(
          opts.secretsDir ?? current.secretsDir ?? join(dirname(resolve(opts.config)), 'sluice-secrets'),
        );
        const secretName = `repo-${id}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
        const entry = {
          id,
          url,
          revision: opts.revision,
          path: opts.path,
          ...(opts.pollInterval ? { pollInterval: opts.pollInterval } : {}),
          ...(secret ? { secretRef: { name: secretName } } : {}),
          ...(opts.project?.length ? { projects: opts.project } : {}),
        };
        const done = upsertListEntry(opts.config, 'repositories', 'id', entry, {
          replace: Boolean(opts.upsert),
          ...(secret ? { set: { secretsDir } } : {}),
        });
        if (secret) {
          const configured = readConfig(opts.config).secretsDir;
          const folder = writeFileSecret(configured ?? secretsDir, secretName, secret);
          console.error(`credentials written to ${folder}/ (mode 600)`);
        }
        console.log(`repository ${id} ${done} in ${opts.config}`);
        console.error('hint: a running `sluice worker` picks it up when restarted');
      })
  );
}

type ListedRepo = { id: string; url: string; revision: string; path: string; secretRef?: { name: string } };

/**
 * The file's repositories, URLs redacted. A file the worker refuses (a URL with a password, say) is still
 * listed, from its YAML as written, after a warning on stderr saying why the worker refuses it.
 */
function listedRepositories(file: string): ListedRepo[] {
  let repos: ListedRepo[];
  try {
    repos = readConfig(file).repositories;
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    const raw = readConfigDocument(file).toJS() as { repositories?: unknown };
    if (!Array.isArray(raw.repositories)) throw err;
    console.error(`warning: sluice worker refuses this file: ${err.message}`);
    repos = raw.repositories
      .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
      .map((r) => ({ revision: 'main', path: '.', ...r }) as ListedRepo);
  }
  return repos.map((r) => ({ ...r, url: redactUrl(String(r.url)) }));
}

/** `sluice repo list`. */
function repoListCommand(): Command {
  return configOption(new Command('list'))
    .description('list the repositories in the worker config (credentials in a URL are shown as ***)')
    .addOption(outputOption())
    .action((opts: ConfigOpt & { output: OutputFormat }) => {
      const repos = listedRepositories(opts.config);
      printAs(opts.output, repos, () =>
        printTable(
          ['id', 'url', 'revision', 'path', 'credentials'],
          repos.map((r) => [
            r.id,
            r.url,
            r.revision,
            r.path,
            r.secretRef ? `secret ${r.secretRef.name}` : '-',
          ]),
          `no repositories in ${opts.config}`,
        ),
      );
    });
}

/** `sluice repo add | list`. */
export function repoCommand(): Command {
  return new Command('repo')
    .description('repositories the worker watches (in its config file)')
    .addCommand(repoAddCommand())
    .addCommand(repoListCommand());
}
