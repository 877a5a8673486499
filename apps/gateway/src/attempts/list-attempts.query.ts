import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { PagingQuery } from '../http/paging.query';

/** `GET /runs/{id}/attempts` query string. */
export class ListAttemptsQuery extends PagingQuery {
  @ApiPropertyOptional({ type: 'string', example: 'score', description: "only this step's attempts" })
  @IsOptional()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'step_id is a step id: letters, digits, _ and -' })
  step_id?: string;
}
