import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RunArtifactEntity } from '@sandcastle/persistence';

/**
 * A run's artifact rows. Callers have already found the run in the caller's scope and pass the
 * run's own tenant, so the tenant condition here is a second fence, not the access check.
 */
@Injectable()
export class ArtifactsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  list(tenantId: string, runId: string): Promise<RunArtifactEntity[]> {
    return this.db.getRepository(RunArtifactEntity).find({
      where: { tenantId, runId },
      order: { createdAt: 'ASC', name: 'ASC' },
      take: 10_000,
    });
  }

  find(tenantId: string, runId: string, name: string): Promise<RunArtifactEntity | null> {
    return this.db.getRepository(RunArtifactEntity).findOne({ where: { tenantId, runId, name } });
  }
}
