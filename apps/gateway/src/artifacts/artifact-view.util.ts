import type { ArtifactView } from '@sandcastle/contracts';
import type { RunArtifactEntity } from '@sandcastle/persistence';
import { tenantVisiblePath } from '@sandcastle/storage';
import { artifactUrl } from './output-ref-view.util';

export function toArtifactView(row: RunArtifactEntity): ArtifactView {
  return {
    name: row.name,
    kind: row.kind,
    path: tenantVisiblePath(row.objectKey, row.tenantId),
    size: Number(row.sizeBytes),
    content_type: row.contentType,
    step_id: row.stepId,
    parallel_index: row.itemIndex,
    created_at: row.createdAt.toISOString(),
    url: artifactUrl(row.runId, row.name),
  };
}
