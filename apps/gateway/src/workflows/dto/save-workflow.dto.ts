import { IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { WORKFLOW_NAME_PATTERN, WORKFLOW_NAME_RULE } from '../workflow-name.util';

/** `POST /workflows`. */
export class SaveWorkflowDto {
  /** The identifier; defaults to the YAML's `name` made into a slug. */
  @IsOptional()
  @IsString()
  @Matches(WORKFLOW_NAME_PATTERN, { message: `name ${WORKFLOW_NAME_RULE}` })
  name?: string;

  /** The workflow as YAML text. */
  @IsString()
  @IsNotEmpty()
  content!: string;
}
