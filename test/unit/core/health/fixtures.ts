import { readFileSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';

const dir = new URL('../../../fixtures/health/', import.meta.url);

/** Reads one object from test/fixtures/health, e.g. `fixture('deployment/healthy')`. */
export function fixture(name: string): KubernetesObject {
  return parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubernetesObject;
}

/** The time every fixture is assessed at: a few minutes after the changes the fixtures record. */
export const NOW = Date.parse('2026-05-04T09:05:00Z');
