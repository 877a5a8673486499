import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ScheduleFieldsDto } from './schedule-fields.dto';

/** `POST /schedules` body. */
export class CreateScheduleDto extends ScheduleFieldsDto {
  @ApiProperty({ example: 'lead-enrichment', description: 'a saved workflow name' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  workflow_name!: string;

  @ApiProperty({ example: '0 */6 * * *', description: '5 fields, or 6 with leading seconds' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  declare cron_expression: string;
}
