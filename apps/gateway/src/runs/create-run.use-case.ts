import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isPgUniqueViolation, type RunEntity } from '@sandcastle/persistence';
import { storagePathProblems, type WorkflowDefinition } from '@sandcastle/workflow';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiException } from '../http/api.exception';
import { WorkflowTrustService } from '../trust/workflow-trust.service';
import { resolveBudget } from './budget.util';
import { requestHash } from './request-hash.util';
import { checkRunInput } from './run-input.util';
import { RunStartPublisher } from './run-start.publisher';
import { RUN_IDEMPOTENCY_CONSTRAINT, RunsRepository } from './runs.repository';
import { WorkflowResolver, type ResolvedWorkflow } from './workflow-resolver.service';
import type { WorkflowReference } from './workflow-reference.util';

export interface CreateRunCommand {
  tenantId: string;
  reference: WorkflowReference;
  input: Record<string, unknown>;
  callbackUrl: string | null;
  idempotencyKey: string | null;
  maxCostUsd: number | undefined;
  /** The `max_cost_per_run_usd` of the caller's API key; null without one. */
  keyMaxCostUsd: number | null;
}

export interface CreatedRun {
  run: RunEntity;
  /** True when the idempotency key was used before by the same request: `run` is that first run. */
  idempotent: boolean;
}

/** Tries at a saved version that turns out not to be the latest, before inserting without the check. */
const MAX_GUARDED_INSERTS = 2;

/**
 * Starting a run: resolve the workflow to a definition snapshot, insert the run row in one
 * statement, then publish the start command. The row is the truth and is written first; if the
 * publish fails the orchestrator's reconciler starts the queued run anyway (after ~10 s), so
 * the caller still gets its 202.
 *
 * A run of a saved workflow is inserted only while its version is still the latest (checked in
 * the insert), so the resolver may answer from its cache of versions: one round trip per request.
 * When a newer version was saved meanwhile (here or on another replica), the version is looked up
 * again; after MAX_GUARDED_INSERTS such races the run takes the version just looked up, as a
 * lookup followed by an insert always did.
 */
@Injectable()
export class CreateRunUseCase {
  constructor(
    private readonly workflows: WorkflowResolver,
    private readonly runs: RunsRepository,
    private readonly startPublisher: RunStartPublisher,
    private readonly trust: WorkflowTrustService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute(command: CreateRunCommand): Promise<CreatedRun> {
    this.trust.assertCallbackUrl(command.callbackUrl);
    checkRunInput(command.input, this.config.MAX_INPUT_BYTES);
    const hash = command.idempotencyKey === null ? null : requestHash(requestIdentity(command));
    for (let attempt = 1; ; attempt++) {
      const workflow = await this.workflows.resolve(command.tenantId, command.reference);
      checkStoragePaths(workflow, command.input);
      let run: RunEntity | null;
      try {
        run = await this.insert(command, workflow, hash, attempt <= MAX_GUARDED_INSERTS);
      } catch (err) {
        if (command.idempotencyKey === null || !isPgUniqueViolation(err, RUN_IDEMPOTENCY_CONSTRAINT))
          throw err;
        return {
          run: await this.earlierRun(command.tenantId, command.idempotencyKey, hash),
          idempotent: true,
        };
      }
      if (run === null) {
        this.workflows.forget(command.tenantId, workflow.name);
        continue;
      }
      await this.startPublisher.publish(run);
      return { run, idempotent: false };
    }
  }

  /** The run row; null when `guarded` and the saved version is no longer the latest (nothing stored). */
  private insert(
    command: CreateRunCommand,
    workflow: ResolvedWorkflow,
    hash: string | null,
    guarded: boolean,
  ): Promise<RunEntity | null> {
    const run = {
      id: randomUUID(),
      tenantId: command.tenantId,
      inputData: command.input,
      maxCostUsd: resolveBudget({
        requestedUsd: command.maxCostUsd,
        tenantKeyUsd: command.keyMaxCostUsd,
        defaultUsd: this.config.DEFAULT_MAX_COST_USD,
      }),
      callbackUrl: command.callbackUrl,
      idempotencyKey: command.idempotencyKey,
      requestHash: hash,
    };
    if (workflow.saved && guarded) return this.runs.insertQueuedOfLatest(run, workflow.saved);
    return this.runs.insertQueued({
      ...run,
      workflowName: workflow.name,
      workflowVersion: workflow.version,
      definition: workflow.definition,
    });
  }

  /**
   * The run an idempotency key was first used for. The same key with a different request is a
   * client bug, refused rather than answered with a run that does not match the request.
   */
  private async earlierRun(tenantId: string, key: string, hash: string | null): Promise<RunEntity> {
    const earlier = await this.runs.findByIdempotencyKey(tenantId, key);
    if (!earlier) throw new Error(`idempotency key collided but no run holds it (tenant ${tenantId})`);
    if (earlier.requestHash !== hash) {
      throw new ApiException(
        'IDEMPOTENCY_CONFLICT',
        `idempotency key '${key}' was already used for a different request (run ${earlier.id})`,
      );
    }
    return earlier;
  }
}

/** A storage path of the workflow must stay inside the tenant's storage with this input. */
function checkStoragePaths(workflow: ResolvedWorkflow, input: Record<string, unknown>): void {
  // The snapshot is a parsed WorkflowDefinition (stored as jsonb, typed loosely by the resolver).
  const pathProblems = storagePathProblems(workflow.definition as unknown as WorkflowDefinition, input);
  if (pathProblems.length > 0) {
    throw new ApiException(
      'STORAGE_PATH_INVALID',
      "a storage path of this workflow would leave the tenant's storage with this input",
      pathProblems,
    );
  }
}

/** What makes two run requests "the same request" for idempotency. */
function requestIdentity(command: CreateRunCommand): Record<string, unknown> {
  const workflow =
    command.reference.kind === 'inline' ? { yaml: command.reference.yaml } : { name: command.reference.name };
  return {
    workflow,
    input: command.input,
    callback_url: command.callbackUrl,
    max_cost_usd: command.maxCostUsd ?? null,
  };
}
