import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE } from '../workflow-name.util';

/** `POST /workflows`. */
export class SaveWorkflowDto {
  /** The identifier; defaults to the YAML's `name` made into a slug. */
  @ApiPropertyOptional({
    description: "the identifier; defaults to the YAML's name as a slug",
    example: 'lead-enrichment',
  })
  @IsOptional()
  @IsString()
  @Matches(WORKFLOW_NAME_PATTERN, { message: `name ${WORKFLOW_NAME_RULE}` })
  name?: string;

  /** The workflow as YAML text. */
  @ApiProperty({
    description: 'the workflow YAML',
    example: 'name: Lead Enrichment\nsteps:\n  - id: scrape\n    prompt: "Find {input.company}"\n',
  })
  @IsString()
  @IsNotEmpty()
  content!: string;
}
