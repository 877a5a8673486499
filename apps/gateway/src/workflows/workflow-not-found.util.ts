import { suggestWorkflowName } from '@sandcastle/workflow';
import { ApiException } from '../http/api.exception';

/**
 * 404 `WORKFLOW_NOT_FOUND`, with a "did you mean" when a name the tenant can see is a likely
 * typo of the one asked for: in the message, and machine-readable in `details[0].suggestion`.
 * `known` must be the caller's own scope (never another tenant's names).
 */
export function workflowNotFound(name: string, known: readonly string[] = []): ApiException {
  const shown = name.slice(0, 200);
  const suggestion = suggestWorkflowName(name, known);
  if (suggestion === null) return new ApiException('WORKFLOW_NOT_FOUND', `workflow '${shown}' not found`);
  return new ApiException(
    'WORKFLOW_NOT_FOUND',
    `workflow '${shown}' not found (did you mean '${suggestion}'?)`,
    [{ field: 'workflow', message: `did you mean '${suggestion}'?`, suggestion }],
  );
}
