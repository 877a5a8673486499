import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** `POST /runs/{id}/replay` body. */
export class ReplayRunDto {
  /** The step to run again (with every step depending on it). */
  @ApiProperty({ example: 'score', description: 'the step to run again, with every step depending on it' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  from_step!: string;
}
