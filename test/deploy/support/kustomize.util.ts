import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO, type Doc } from './deploy-files.util';

/**
 * `kubectl kustomize <dir>` (kustomize v5, built into kubectl ≥ 1.27; components need ≥ 3.7).
 * Debian's kubernetes-client (1.20, kustomize 2) cannot build these overlays, so a missing or
 * old kubectl fails here with a message instead of a confusing render error.
 */
export function kustomize(dir: string): Doc[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('kubectl is not installed: the Kubernetes checks need kubectl ≥ 1.27 (see .ci/run)', {
        cause: err,
      });
    throw new Error(`kubectl kustomize ${dir} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((error) => error.message).join('; '));
    return doc.toJS();
  });
}

/** Renders `overlay` (relative to the repo) with extra `components`, as a user would add them. */
export function kustomizeWithComponents(overlay: string, components: string[]): Doc[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-kustomize-'));
  try {
    const lines = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      `  - ${path.relative(dir, path.join(REPO, overlay))}`,
      'components:',
      ...components.map((component) => `  - ${path.relative(dir, path.join(REPO, component))}`),
    ];
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
    return kustomize(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
