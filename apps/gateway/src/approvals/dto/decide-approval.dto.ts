import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { APPROVAL_DECISIONS, type ApprovalDecision } from '@sandcastle/contracts';

/** `POST /runs/{id}/approvals/{step}` body. */
export class DecideApprovalDto {
  @ApiProperty({ enum: APPROVAL_DECISIONS, example: 'approve' })
  @IsIn(APPROVAL_DECISIONS)
  decision!: ApprovalDecision;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, example: 'Checked the list, go ahead' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  /** With `allow_edit`: replaces the shown data as the step's output (approve only). */
  @ApiPropertyOptional({
    description: 'replaces the shown data as the step output (needs allow_edit; approve only)',
    example: { recipients: ['a@example.com'] },
  })
  @ValidateIf((o: DecideApprovalDto) => o.edited_output !== undefined)
  @IsDefined()
  edited_output?: unknown;
}
