import { Injectable } from '@nestjs/common';
import type { WorkflowEntity, WorkflowSource } from '@sandcastle/persistence';
import { isPgUniqueViolation } from '@sandcastle/persistence';
import type { WorkflowDefinition } from '@sandcastle/workflow';
import { contentHash } from './content-hash.util';
import { WORKFLOW_VERSION_CONSTRAINT, WorkflowsRepository } from './workflows.repository';

export interface WorkflowDraft {
  tenantId: string;
  name: string;
  content: string;
  definition: WorkflowDefinition;
  source: WorkflowSource;
}

export interface SavedWorkflow {
  workflow: WorkflowEntity;
  /** False when the content equals the latest version's, which is returned instead. */
  created: boolean;
}

// Each lost race means another writer saved a version in between; a handful of retries covers
// any realistic burst of concurrent saves of one workflow.
const MAX_ATTEMPTS = 5;

/**
 * Adds versions of a workflow. The next version number is read, then inserted; the unique key
 * on (tenant, name, version) turns a concurrent save into a retry rather than a duplicate, and
 * a retry that finds its own content already saved (e.g. replicas loading the same file at
 * boot) returns that version.
 */
@Injectable()
export class WorkflowVersionsService {
  constructor(private readonly workflows: WorkflowsRepository) {}

  async save(draft: WorkflowDraft): Promise<SavedWorkflow> {
    const hash = contentHash(draft.content);
    for (let attempt = 1; ; attempt++) {
      const latest = await this.workflows.findOwnLatest(draft.tenantId, draft.name);
      if (latest?.contentHash === hash) return { workflow: latest, created: false };
      try {
        const workflow = await this.workflows.insertVersion({
          tenantId: draft.tenantId,
          name: draft.name,
          version: (latest?.version ?? 0) + 1,
          title: draft.definition.title,
          description: draft.definition.description,
          content: draft.content,
          contentHash: hash,
          definition: draft.definition as unknown as Record<string, unknown>,
          source: draft.source,
        });
        return { workflow, created: true };
      } catch (err) {
        if (!isPgUniqueViolation(err, WORKFLOW_VERSION_CONSTRAINT) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }
}
