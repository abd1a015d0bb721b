import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every request at Metadata level (who, verb, resource, response code, timestamps; no bodies), each once: the
 * RequestReceived stage is left out, so a request is one ResponseComplete event (a watch also a ResponseStarted).
 */
const policy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
`;

/** Size of one audit log file before it rotates, MB, and how many rotated files are kept: at most 3 × 64 MB. */
export const auditLogLimits = { maxSizeMB: 64, maxBackups: 2 };

/**
 * Writes the audit policy and returns the kube-apiserver flags that log to `logFile` (JSON lines, rotated by
 * size so the log stays bounded). Blocking mode: an event is written before the response, so a client that
 * has its answer finds its request in the log.
 */
export function auditArgs(kubeDir: string, logFile: string): string[] {
  const policyFile = join(kubeDir, 'audit-policy.yaml');
  writeFileSync(policyFile, policy);
  return [
    `--audit-policy-file=${policyFile}`,
    `--audit-log-path=${logFile}`,
    '--audit-log-format=json',
    '--audit-log-mode=blocking',
    `--audit-log-maxsize=${auditLogLimits.maxSizeMB}`,
    `--audit-log-maxbackup=${auditLogLimits.maxBackups}`,
  ];
}
