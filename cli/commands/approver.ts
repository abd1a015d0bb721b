// `sluice approver keygen | public-key`: an approver's Ed25519 key pair. The private key stays with
// the approver (mode 600); the public key goes into the worker config, where the administrator decides
// who is an approver and in which groups.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { KEY_NAME_HEADER, readApproverKey } from '../approval.js';
import { CliError, ExitCode } from '../errors.js';

const NAME = /^[\w.@-]+$/;

/** Where keygen writes a key by default: $XDG_CONFIG_HOME/sluice/approver-<name>.pem. */
export function defaultKeyFile(name: string): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'sluice', `approver-${name}.pem`);
}

/** The worker-config entry for an approver, public key inline. */
export function approverSnippet(name: string, publicKeyPem: string): string {
  const pem = publicKeyPem
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  return `approvers:\n  - name: ${name}\n    groups: []\n    publicKey: |\n${pem}\n`;
}

/** The `sluice approver` command. */
export function approverCommand(): Command {
  return new Command('approver')
    .description('approver keys: sign Pipeline approvals and rollout promotions with your identity')
    .addCommand(
      new Command('keygen')
        .description('create an Ed25519 key pair; prints the worker-config entry for your administrator')
        .requiredOption('--name <name>', 'your approver name, as the worker config will list it')
        .option(
          '--out <file>',
          'where to write the private key (default: ~/.config/sluice/approver-<name>.pem)',
        )
        .option('--force', 'overwrite an existing key file')
        .action((opts: { name: string; out?: string; force?: boolean }) => {
          if (!NAME.test(opts.name))
            throw new CliError(
              `"${opts.name}" is not an approver name`,
              'letters, digits, _ . @ and -',
              ExitCode.usage,
            );
          const file = opts.out ?? defaultKeyFile(opts.name);
          const { privateKey, publicKey } = generateKeyPairSync('ed25519');
          const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
          mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
          try {
            writeFileSync(file, `${KEY_NAME_HEADER} ${opts.name}\n${pem}`, {
              mode: 0o600,
              flag: opts.force ? 'w' : 'wx',
            });
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST')
              throw new CliError(
                `${file} exists already`,
                'pass --force to replace it, or --out',
                ExitCode.usage,
              );
            throw err;
          }
          const pub = publicKey.export({ type: 'spki', format: 'pem' }) as string;
          console.error(`wrote ${opts.name}'s private key to ${file} (mode 600): keep it to yourself`);
          console.error(
            'give the worker-config entry below to the worker’s administrator; then approve with',
          );
          console.error(
            `  sluice pipeline approve RUN STEP --key ${file}   (or SLUICE_APPROVER_KEY=${file})`,
          );
          process.stdout.write(approverSnippet(opts.name, pub));
        }),
    )
    .addCommand(
      new Command('public-key')
        .description('print the worker-config entry (with the public key) for an approver key file')
        .argument('<file>', 'the private key file keygen wrote')
        .option('--name <name>', 'the approver name (default: the one in the key file)')
        .action((file: string, opts: { name?: string }) => {
          const { key, name } = readApproverKey(file);
          const who = opts.name ?? name;
          if (!who) throw new CliError(`${file} names no approver`, 'pass --name', ExitCode.usage);
          const pub = createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string;
          process.stdout.write(approverSnippet(who, pub));
        }),
    );
}
