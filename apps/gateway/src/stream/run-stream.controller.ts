import { Controller, Get, Headers, Inject, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { FairShareKey } from '../fairness/fair-share-key.decorator';
import { FairShareService } from '../fairness/fair-share.service';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ReadScope } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { parseLastEventId } from './sse-frame.util';
import { openSseResponse } from './sse-response';
import { STREAM_CONFIG, type StreamConfig } from './stream.config';
import { StreamRunUseCase } from './stream-run.use-case';

/** Per client; a run's events are far smaller, so only a stalled reader reaches it. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * `GET /runs/{id}/stream`: Server-Sent Events, not an enveloped JSON route. Errors raised before
 * the stream opens (400 INVALID_ID, 404 RUN_NOT_FOUND, 503) still reach the global filter and
 * are answered as JSON envelopes. No `?token=` query: keys in URLs end up in logs.
 */
@ApiTags('runs')
@Controller('runs')
export class RunStreamController {
  constructor(
    private readonly streamRun: StreamRunUseCase,
    private readonly fairShare: FairShareService,
    @Inject(STREAM_CONFIG) private readonly config: StreamConfig,
  ) {}

  @ApiOperation({ summary: "A run's live events (Server-Sent Events)" })
  @ApiIdParam('run')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event id' })
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description: '`status`, then `step` / `budget` events, then `result`; the server then closes the stream',
    content: { 'text/event-stream': { schema: { type: 'string' }, example: EXAMPLES.runStream } },
  })
  @ApiErrors('INVALID_ID', 'RUN_NOT_FOUND', 'CONCURRENCY_LIMITED')
  @Get(':id/stream')
  async stream(
    @ReadScope() tenantId: TenantScope,
    @FairShareKey() shareKey: string,
    @Param('id', UuidParamPipe) runId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    res.locals['runId'] = runId;
    const release = this.fairShare.takeStream(shareKey);
    try {
      await this.streamRun.execute({ tenantId, runId, lastEventId: parseLastEventId(lastEventId) }, () =>
        openSseResponse(res, {
          heartbeatMs: this.config.SSE_HEARTBEAT_MS,
          maxBufferedBytes: MAX_BUFFERED_BYTES,
        }),
      );
    } finally {
      release();
    }
  }
}
