// Which files SOPS encrypted, and in which of its formats: sops needs the format named for files whose
// extension does not tell it, and a plain file next to encrypted ones must be left as it is.

/** The sops store formats Sluice decrypts (binary files are not: they carry no marker to find them by). */
export type SopsFormat = 'yaml' | 'json' | 'dotenv' | 'ini';

const byExtension: Record<string, SopsFormat> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  '.env': 'dotenv',
  '.ini': 'ini',
};

// The metadata sops writes into every file it encrypts: a top-level `sops` entry holding a MAC.
const markers: Record<SopsFormat, RegExp> = {
  yaml: /^sops:[ \t]*$(?:\n[ \t]+.*$)*?\n[ \t]+mac:[ \t]*ENC\[/m,
  json: /"sops"\s*:\s*\{[\s\S]*"mac"\s*:\s*"ENC\[/,
  dotenv: /^sops_mac=ENC\[/m,
  ini: /^\[sops\][\s\S]*^mac\s*=\s*ENC\[/m,
};

/** The sops format of a file by its name, or undefined for a kind of file Sluice never decrypts. */
export function formatOf(name: string): SopsFormat | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : byExtension[name.slice(dot).toLowerCase()];
}

/** True when text of the given format carries sops metadata, i.e. sops encrypted it. */
export function isEncrypted(text: string, format: SopsFormat): boolean {
  return markers[format].test(text);
}

/** The age recipients (public keys) a sops file was encrypted for, for messages; never any key material. */
export function ageRecipients(text: string): string[] {
  return [...new Set(text.match(/age1[02-9ac-hj-np-z]{58}/g) ?? [])];
}
