import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { StackContext } from './context.js';
import { waitUntil } from './wait.js';

/** CRD files (in the tools bin) of the traffic providers: Istio, Gateway API and SMI, fetched by bootstrap-tools.sh. */
export const trafficCrdFiles = ['istio-crds.yaml', 'gateway-api-crds.yaml', 'smi-crds.yaml'] as const;

const FIELD_MANAGER = 'sluice-dev-stack';
const HASH_ANNOTATION = 'sluice.dev/crd-hash';

/** A CustomResourceDefinition as far as this file reads or rewrites it. */
interface Crd extends KubernetesObject {
  spec: {
    versions?: { name: string; served: boolean; storage: boolean; [k: string]: unknown }[];
    validation?: { openAPIV3Schema: Record<string, unknown> };
    additionalPrinterColumns?: { JSONPath?: string; [k: string]: unknown }[];
    version?: string;
    names?: { kind: string };
    [k: string]: unknown;
  };
}

/** The CRDs of one YAML file, each converted to apiextensions.k8s.io/v1. */
export function loadCrds(path: string): Crd[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as Crd | null)
    .filter((d): d is Crd => d?.kind === 'CustomResourceDefinition')
    .map(crdToV1);
}

/**
 * Rewrites an apiextensions.k8s.io/v1beta1 CRD (SMI still ships those; API servers since 1.22 refuse them)
 * as v1: the shared schema and printer columns move into every version. A v1 CRD is returned as is.
 */
export function crdToV1(crd: Crd): Crd {
  if (crd.apiVersion === 'apiextensions.k8s.io/v1') return crd;
  const { validation, additionalPrinterColumns, version, versions, ...rest } = crd.spec;
  const schema = {
    type: 'object',
    ...(validation?.openAPIV3Schema ?? { 'x-kubernetes-preserve-unknown-fields': true }),
  };
  const columns = additionalPrinterColumns?.map(({ JSONPath, ...c }) => ({ ...c, jsonPath: JSONPath }));
  const list = versions ?? [{ name: version ?? 'v1', served: true, storage: true }];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crd.metadata?.name,
      annotations: crd.metadata?.annotations,
      labels: crd.metadata?.labels,
    },
    spec: {
      ...rest,
      versions: list.map((v) => ({
        ...v,
        schema: { openAPIV3Schema: schema },
        ...(columns ? { additionalPrinterColumns: columns } : {}),
      })),
    },
  };
}

type LiveCrd = KubernetesObject & { status?: { conditions?: { type: string; status: string }[] } };

/**
 * Server-side applies the traffic providers' CRDs and waits until each is Established. Idempotent and
 * quick when nothing changed: a CRD whose live copy carries the same content hash is not sent again.
 */
export async function installTrafficCrds(ctx: StackContext): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(ctx.paths.kubeconfig);
  const api = kc.makeApiClient(KubernetesObjectApi);
  const crds = trafficCrdFiles.flatMap((f) => loadCrds(ctx.tool(f)));
  const read = (crd: Crd) =>
    api
      .read({ apiVersion: crd.apiVersion, kind: crd.kind, metadata: { name: crd.metadata?.name ?? '' } })
      .then((live) => live as LiveCrd)
      .catch((err: { code?: number }) => {
        if (err.code === 404) return undefined;
        throw err;
      });
  const established = (live?: LiveCrd) =>
    live?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
  const pending: Crd[] = [];
  for (const crd of crds) {
    const hash = createHash('sha256').update(JSON.stringify(crd)).digest('hex').slice(0, 16);
    const live = await read(crd);
    if (live?.metadata?.annotations?.[HASH_ANNOTATION] === hash && established(live)) continue;
    const annotated = {
      ...crd,
      metadata: { ...crd.metadata, annotations: { ...crd.metadata?.annotations, [HASH_ANNOTATION]: hash } },
    };
    // The client serializes a CRD through its typed model, which only knows `xKubernetesIntOrString`-style
    // names: a raw object would lose every x-kubernetes-* key, so it goes through the model first.
    const typed = loadYaml<KubernetesObject>(JSON.stringify(annotated));
    await api.patch(typed, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    pending.push(crd);
  }
  for (const crd of pending)
    await waitUntil(`CRD ${crd.metadata?.name}`, async () => established(await read(crd)), {
      timeoutMs: 60_000,
      progress: ctx.progress,
      logFile: ctx.paths.logFile('kube-apiserver'),
    });
  const kinds = crds.map((c) => c.spec.names?.kind).join(', ');
  ctx.progress(`traffic CRDs: ${kinds} established${pending.length ? '' : ' (unchanged)'}`);
}
