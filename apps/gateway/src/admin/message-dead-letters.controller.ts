import { Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller';
import { ApiController } from '../http/api-controller.decorator';
import { ApiException } from '../http/api.exception';
import type { Paged } from '../http/paged';
import { ApiAnswer, ApiErrors } from '../openapi/api-docs.decorator';
import { CurrentCaller } from '../tenancy/tenant.decorator';
import { ListMessageDeadLettersQuery } from './dto/list-message-dead-letters.query';
import { ListMessageDeadLettersUseCase } from './list-message-dead-letters.use-case';
import type { MessageDeadLetterView } from './message-dead-letter.view';

const EXAMPLE: MessageDeadLetterView = {
  seq: 3,
  service: 'orchestrator',
  consumer: 'orchestrator-results',
  stream: 'SC_RESULTS',
  stream_sequence: 1842,
  subject: 'sc.step.result',
  msg_id: 'result:7f0c…:write:-:1',
  delivery_count: 20,
  last_error: 'QueryFailedError: …',
  payload: '{"v":1,"tenantId":"acme",…}',
  payload_bytes: 2048,
  payload_truncated: false,
  dead_lettered_at: '2026-12-02T11:00:00.000Z',
};

/**
 * Operator routes (ADMIN_API_KEY only). Messages the services gave up on after
 * MESSAGE_MAX_DELIVERIES deliveries: what failed, where, and the (bounded) payload.
 */
@ApiTags('admin')
@ApiController('admin/message-dead-letters')
export class MessageDeadLettersController {
  constructor(private readonly list: ListMessageDeadLettersUseCase) {}

  @ApiOperation({
    summary: 'Messages dead-lettered after their bounded deliveries, newest first (admin key)',
  })
  @ApiAnswer(200, EXAMPLE, { list: true })
  @ApiErrors('VALIDATION_ERROR', 'FORBIDDEN')
  @Get()
  async messageDeadLetters(
    @CurrentCaller() caller: Caller,
    @Query() query: ListMessageDeadLettersQuery,
  ): Promise<Paged<MessageDeadLetterView>> {
    if (caller.kind !== 'admin') {
      // They hold every tenant's payloads: the operator's, never a tenant's.
      throw new ApiException('FORBIDDEN', 'message dead letters are readable with the admin key only');
    }
    return this.list.execute({ limit: query.limit, before: query.before });
  }
}
