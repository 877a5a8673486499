import { ApiException } from '../http/api.exception';

/** What a run request points at: YAML sent along, or a saved workflow by name. */
export type WorkflowReference = { kind: 'inline'; yaml: string } | { kind: 'saved'; name: string };

export interface WorkflowReferenceFields {
  workflow?: string;
  workflow_name?: string;
}

const LINE_BREAK = /[\r\n]/;
// Clients of the original passed file names ("lead-enrichment.yaml"); they keep working.
const FILE_EXTENSION = /\.ya?ml$/i;

function savedName(value: string): string {
  return value.trim().replace(FILE_EXTENSION, '');
}

function invalid(message: string): ApiException {
  return new ApiException('VALIDATION_ERROR', message, [{ field: 'workflow', message }]);
}

/**
 * `workflow` with a line break is inline YAML, without one it is a saved workflow's name;
 * `workflow_name` is always a name. Exactly one workflow must be named: both fields are only
 * accepted when they name the same one.
 */
export function resolveWorkflowReference(fields: WorkflowReferenceFields): WorkflowReference {
  const workflow = fields.workflow?.trim() ? fields.workflow : undefined;
  const name = fields.workflow_name?.trim() ? savedName(fields.workflow_name) : undefined;
  if (workflow === undefined) {
    if (name === undefined) {
      throw invalid('give workflow (a saved workflow name or inline YAML) or workflow_name');
    }
    return { kind: 'saved', name };
  }
  const reference: WorkflowReference = LINE_BREAK.test(workflow)
    ? { kind: 'inline', yaml: workflow }
    : { kind: 'saved', name: savedName(workflow) };
  if (name !== undefined && (reference.kind === 'inline' || reference.name !== name)) {
    throw invalid('give either workflow or workflow_name, not both');
  }
  return reference;
}
