import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /dead-letter/{id}/resolve` body (optional). */
export class ResolveDeadLetterDto {
  /** Why the item needs no retry; kept on the item. */
  @ApiPropertyOptional({ maxLength: 2000, example: 'fixed upstream; no retry needed' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
