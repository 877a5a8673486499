import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { PagingQuery } from '../../http/paging.query';

/** `GET /dead-letter` query string. */
export class ListDeadLetterQuery extends PagingQuery {
  /** false (default): open items only; true: every item, resolved ones included. */
  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    example: false,
    description: 'false: open items only; true: all',
  })
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'resolved must be true or false' })
  resolved: boolean = false;
}
