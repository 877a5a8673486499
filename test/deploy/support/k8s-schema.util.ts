import * as path from 'node:path';
import type { Doc } from './deploy-files.util';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: Doc) => Validatable;

/**
 * Custom resources of the optional components: their schemas come from the CRD packages of the
 * same project (`@kubernetes-models/keda`, `@kubernetes-models/prometheus-operator`).
 */
const CUSTOM_MODELS: Record<string, string> = {
  'keda.sh/v1alpha1/ScaledObject': '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject',
  'monitoring.coreos.com/v1/ServiceMonitor':
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
};

/**
 * Validates one object against the Kubernetes OpenAPI schema of its apiVersion and kind, as
 * shipped by the npm package `kubernetes-models` (offline). Throws with the schema's message.
 */
export function validateAgainstApiSchema(object: Doc): void {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const modulePath =
    CUSTOM_MODELS[`${apiVersion}/${kind}`] ?? path.posix.join('kubernetes-models', apiVersion, kind);
  let Model: ModelClass;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(modulePath) as Record<string, ModelClass>;
    Model = module[kind]!;
  } catch (err) {
    throw new Error(`no Kubernetes schema for ${apiVersion} ${kind}`, { cause: err });
  }
  try {
    new Model(object).validate();
  } catch (err) {
    throw new Error(`${kind} ${object.metadata?.name}: ${(err as Error).message}`, { cause: err });
  }
}
