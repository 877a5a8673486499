import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `GET /admin/message-dead-letters` query string: newest first, paged by sequence. */
export class ListMessageDeadLettersQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  /** Only dead letters older than this sequence: `meta.next_before` of the previous page. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    example: 120,
    description: 'meta.next_before of the previous page',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;
}
