import { Injectable } from '@nestjs/common';
import type { LatestWorkflowRef } from '@sandcastle/persistence';
import { slugifyWorkflowName } from '@sandcastle/workflow';
import { ApiException } from '../http/api.exception';
import { WorkflowTrustService } from '../trust/workflow-trust.service';
import { invalidWorkflow } from '../workflows/invalid-workflow.util';
import { workflowNotFound } from '../workflows/workflow-not-found.util';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import type { WorkflowReference } from './workflow-reference.util';
import { WorkflowVersionCache } from './workflow-version.cache';

/** The definition a new run will execute, and how the run names it. */
export interface ResolvedWorkflow {
  name: string;
  /** Null for inline YAML, which is not a saved version. */
  version: number | null;
  definition: Record<string, unknown>;
  /**
   * The saved version (null for inline YAML). It may come from this gateway's cache and no
   * longer be the latest: the run is then inserted with insertQueuedRunOfLatest, which checks.
   */
  saved: LatestWorkflowRef | null;
}

/** Turns a run request's workflow reference into the definition snapshot stored on the run. */
@Injectable()
export class WorkflowResolver {
  private readonly versions = new WorkflowVersionCache();

  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly trust: WorkflowTrustService,
  ) {}

  async resolve(tenantId: string, reference: WorkflowReference): Promise<ResolvedWorkflow> {
    if (reference.kind === 'saved') {
      const latest =
        this.versions.get(tenantId, reference.name) ?? (await this.lookUp(tenantId, reference.name));
      // Saved under an earlier policy (or from WORKFLOWS_DIR): checked against today's.
      this.trust.assertRunnable(latest.definition);
      return { name: latest.name, version: latest.version, definition: latest.definition, saved: latest };
    }
    const parsed = this.trust.parse(reference.yaml);
    if (!parsed.ok) throw invalidWorkflow(parsed);
    const name = slugifyWorkflowName(parsed.definition.title);
    if (name === '') {
      throw new ApiException('INVALID_WORKFLOW', 'the workflow is not valid', [
        { field: 'name', message: `no identifier can be made from the title '${parsed.definition.title}'` },
      ]);
    }
    return {
      name,
      version: null,
      definition: parsed.definition as unknown as Record<string, unknown>,
      saved: null,
    };
  }

  /** A version the run insert found not to be the latest any more: the next resolve looks it up. */
  forget(tenantId: string, name: string): void {
    this.versions.forget(tenantId, name);
  }

  private async lookUp(tenantId: string, name: string): Promise<LatestWorkflowRef> {
    const latest = await this.workflows.findLatest(tenantId, name);
    if (!latest) throw workflowNotFound(name, await this.workflows.visibleNames(tenantId));
    const ref: LatestWorkflowRef = {
      id: latest.id,
      name: latest.name,
      version: latest.version,
      definition: latest.definition,
    };
    this.versions.remember(tenantId, name, ref, Buffer.byteLength(latest.content));
    return ref;
  }
}
