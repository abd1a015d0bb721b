import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An approver key pair as `sluice approver keygen` writes it (a `Sluice-Approver: <name>` line above a
 * PKCS#8 PEM, mode 600), made with node:crypto only so the tests of the attack also run on older code.
 */
export function approverKey(dir: string, name: string, as: string = name) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const file = join(dir, `${as}-claims-${name}.pem`);
  writeFileSync(file, `Sluice-Approver: ${name}\n${privateKey.export({ type: 'pkcs8', format: 'pem' })}`, {
    mode: 0o600,
  });
  return { name, file, publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}
