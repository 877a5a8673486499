import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { APPROVAL_STATUSES, type ApprovalStatus } from '@sandcastle/contracts';
import { PagingQuery } from '../../http/paging.query';

/** `GET /approvals` query string. */
export class ListApprovalsQuery extends PagingQuery {
  @ApiPropertyOptional({ enum: APPROVAL_STATUSES, example: 'pending' })
  @IsOptional()
  @IsIn(APPROVAL_STATUSES)
  status?: ApprovalStatus;
}
