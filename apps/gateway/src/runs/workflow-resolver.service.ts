import { Injectable } from '@nestjs/common';
import { slugifyWorkflowName } from '@sandcastle/workflow';
import { ApiException } from '../http/api.exception';
import { WorkflowTrustService } from '../trust/workflow-trust.service';
import { invalidWorkflow } from '../workflows/invalid-workflow.util';
import { workflowNotFound } from '../workflows/workflow-not-found.util';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import type { WorkflowReference } from './workflow-reference.util';

/** The definition a new run will execute, and how the run names it. */
export interface ResolvedWorkflow {
  name: string;
  /** Null for inline YAML, which is not a saved version. */
  version: number | null;
  definition: Record<string, unknown>;
}

/** Turns a run request's workflow reference into the definition snapshot stored on the run. */
@Injectable()
export class WorkflowResolver {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly trust: WorkflowTrustService,
  ) {}

  async resolve(tenantId: string, reference: WorkflowReference): Promise<ResolvedWorkflow> {
    if (reference.kind === 'saved') {
      const latest = await this.workflows.findLatest(tenantId, reference.name);
      if (!latest) throw workflowNotFound(reference.name, await this.workflows.visibleNames(tenantId));
      // Saved under an earlier policy (or from WORKFLOWS_DIR): checked against today's.
      this.trust.assertRunnable(latest.definition);
      return { name: latest.name, version: latest.version, definition: latest.definition };
    }
    const parsed = this.trust.parse(reference.yaml);
    if (!parsed.ok) throw invalidWorkflow(parsed);
    const name = slugifyWorkflowName(parsed.definition.title);
    if (name === '') {
      throw new ApiException('INVALID_WORKFLOW', 'the workflow is not valid', [
        { field: 'name', message: `no identifier can be made from the title '${parsed.definition.title}'` },
      ]);
    }
    return { name, version: null, definition: parsed.definition as unknown as Record<string, unknown> };
  }
}
