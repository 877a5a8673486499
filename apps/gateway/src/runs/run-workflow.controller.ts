import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Headers, HttpStatus, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorCode, RunAcceptedView, RunView } from '@sandcastle/contracts';
import { ApiAnswer, ApiErrors } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { FairShareKey } from '../fairness/fair-share-key.decorator';
import { FairShareService } from '../fairness/fair-share.service';
import { ApiController } from '../http/api-controller.decorator';
import { ApiException } from '../http/api.exception';
import { clientGone } from '../http/client-gone.util';
import { KeyBudget, TenantId } from '../tenancy/tenant.decorator';
import type { CreateRunCommand } from './create-run.use-case';
import { CreateRunUseCase } from './create-run.use-case';
import { RunSyncQuery } from './dto/run-sync.query';
import { RunWorkflowDto } from './dto/run-workflow.dto';
import { RunSyncUseCase } from './run-sync.use-case';
import { resolveWorkflowReference } from './workflow-reference.util';

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Both routes start a run through the same use case, so they fail the same ways. */
const START_RUN_ERRORS: ErrorCode[] = [
  'VALIDATION_ERROR',
  'INVALID_WORKFLOW',
  'WORKFLOW_TOO_LARGE',
  'INPUT_TOO_LARGE',
  'WORKFLOW_NOT_FOUND',
  'IDEMPOTENCY_CONFLICT',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
];

/** The body key, or the `Idempotency-Key` header (the same thing); both must agree when both are sent. */
function idempotencyKeyOf(body: RunWorkflowDto, header: string | undefined): string | null {
  const fromHeader = header?.trim() ? header.trim() : undefined;
  if (fromHeader !== undefined && fromHeader.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    const message = `the Idempotency-Key header must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`;
    throw new ApiException('VALIDATION_ERROR', message, [{ field: 'Idempotency-Key', message }]);
  }
  if (body.idempotency_key !== undefined && fromHeader !== undefined && body.idempotency_key !== fromHeader) {
    const message = 'idempotency_key and the Idempotency-Key header differ';
    throw new ApiException('VALIDATION_ERROR', message, [{ field: 'idempotency_key', message }]);
  }
  return body.idempotency_key ?? fromHeader ?? null;
}

function commandOf(
  tenantId: string,
  keyMaxCostUsd: number | null,
  body: RunWorkflowDto,
  idempotencyHeader: string | undefined,
): CreateRunCommand {
  return {
    tenantId,
    keyMaxCostUsd,
    reference: resolveWorkflowReference(body),
    input: body.input ?? {},
    callbackUrl: body.callback_url ?? null,
    idempotencyKey: idempotencyKeyOf(body, idempotencyHeader),
    maxCostUsd: body.max_cost_usd,
  };
}

@ApiTags('runs')
@ApiController('workflows/run')
export class RunWorkflowController {
  constructor(
    private readonly createRun: CreateRunUseCase,
    private readonly runAndWait: RunSyncUseCase,
    private readonly fairShare: FairShareService,
  ) {}

  /** 202 with the queued run; 200 with the first run when the idempotency key was seen before. */
  @ApiOperation({ summary: 'Start a run (202); 200 when the idempotency key was seen before' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same as idempotency_key' })
  @ApiAnswer(202, EXAMPLES.runAccepted, { description: 'queued' })
  @ApiAnswer(200, EXAMPLES.runIdempotent, { description: 'the first run of this idempotency key' })
  @ApiErrors(...START_RUN_ERRORS)
  @Post()
  async run(
    @TenantId() tenantId: string,
    @KeyBudget() keyMaxCostUsd: number | null,
    @Body() body: RunWorkflowDto,
    @Headers('idempotency-key') idempotencyHeader: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RunAcceptedView> {
    const { run, idempotent } = await this.createRun.execute(
      commandOf(tenantId, keyMaxCostUsd, body, idempotencyHeader),
    );
    if (idempotent) {
      res.status(HttpStatus.OK);
      return { run_id: run.id, status: run.status, idempotent: true };
    }
    res.status(HttpStatus.ACCEPTED);
    return { run_id: run.id, status: run.status };
  }

  /** 200 with the finished run; 202 with the run so far when `timeout_s` passed first. */
  @ApiOperation({ summary: 'Start a run and wait for it (200 finished, 202 still going after timeout_s)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same as idempotency_key' })
  @ApiAnswer(200, EXAMPLES.run, { description: 'the finished run' })
  @ApiAnswer(
    202,
    { ...EXAMPLES.run, status: 'running', completed_at: null },
    { description: 'timeout_s passed: the run so far' },
  )
  @ApiErrors(...START_RUN_ERRORS, 'CONCURRENCY_LIMITED')
  @Post('sync')
  async runSync(
    @TenantId() tenantId: string,
    @FairShareKey() shareKey: string,
    @KeyBudget() keyMaxCostUsd: number | null,
    @Body() body: RunWorkflowDto,
    @Query() query: RunSyncQuery,
    @Headers('idempotency-key') idempotencyHeader: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RunView> {
    const command = commandOf(tenantId, keyMaxCostUsd, body, idempotencyHeader);
    // Taken before the run is created: a refused request starts nothing.
    const release = this.fairShare.takeSyncWait(shareKey);
    try {
      const { run, finished } = await this.runAndWait.execute(
        command,
        query.timeout_s * 1000,
        clientGone(res),
      );
      res.status(finished ? HttpStatus.OK : HttpStatus.ACCEPTED);
      return run;
    } finally {
      release();
    }
  }
}
