import { Inject, Injectable } from '@nestjs/common';
import { ARTIFACT_NAME, type ArtifactView } from '@sandcastle/contracts';
import {
  belongsToTenant,
  STORAGE,
  StorageUnavailableError,
  type StorageBackend,
  type StoredObjectStream,
} from '@sandcastle/storage';
import { ApiException } from '../http/api.exception';
import { runNotFound } from '../runs/get-run.use-case';
import { RunsRepository } from '../runs/runs.repository';
import type { TenantScope } from '../tenancy/tenant-scope';
import { toArtifactView } from './artifact-view.util';
import { ArtifactsRepository } from './artifacts.repository';

export interface ArtifactDownload {
  name: string;
  contentType: string;
  object: StoredObjectStream;
}

/**
 * `GET /runs/{id}/artifacts` and `GET /runs/{id}/artifacts/{name}`. The run is looked up in the
 * caller's scope first (another tenant's run is 404 RUN_NOT_FOUND), then the artifact by name in
 * that run; the object is read by the key recorded for it, which the orchestrator only accepted
 * under the run's tenant prefix (and which is checked again here).
 */
@Injectable()
export class ArtifactsUseCase {
  constructor(
    private readonly runs: RunsRepository,
    private readonly artifacts: ArtifactsRepository,
    @Inject(STORAGE) private readonly storage: StorageBackend,
  ) {}

  async list(scope: TenantScope, runId: string): Promise<ArtifactView[]> {
    const run = await this.runs.findById(scope, runId);
    if (!run) throw runNotFound(runId);
    return (await this.artifacts.list(run.tenantId, run.id)).map((row) => toArtifactView(row));
  }

  async download(scope: TenantScope, runId: string, name: string): Promise<ArtifactDownload> {
    if (!ARTIFACT_NAME.test(name)) {
      throw new ApiException(
        'STORAGE_PATH_INVALID',
        `'${name.slice(0, 100)}' is not an artifact name: letters, digits, '.', '_' and '-' only (no '/', '..' or encoded separators)`,
      );
    }
    const run = await this.runs.findById(scope, runId);
    if (!run) throw runNotFound(runId);
    const row = await this.artifacts.find(run.tenantId, run.id, name);
    if (!row || !belongsToTenant(row.objectKey, run.tenantId)) throw artifactNotFound(runId, name);
    let object: StoredObjectStream | null;
    try {
      object = await this.storage.open(row.objectKey);
    } catch (err) {
      if (err instanceof StorageUnavailableError) {
        throw new ApiException(
          'SERVICE_UNAVAILABLE',
          'storage is unavailable; try again shortly',
          undefined,
          5,
        );
      }
      throw err;
    }
    if (object === null) throw artifactNotFound(runId, name);
    return { name, contentType: row.contentType, object };
  }
}

function artifactNotFound(runId: string, name: string): ApiException {
  return new ApiException(
    'ARTIFACT_NOT_FOUND',
    `run '${runId}' has no artifact '${name}' (never written, or removed by retention)`,
  );
}
