import type { ParseResult } from '@sandcastle/workflow';
import { ApiException } from '../http/api.exception';

/**
 * The 400 for a workflow the parser refused: `WORKFLOW_TOO_LARGE` (with `limit` and `actual` in
 * the detail) when it breached a size limit, `INVALID_WORKFLOW` with every problem otherwise.
 */
export function invalidWorkflow(parsed: Extract<ParseResult, { ok: false }>): ApiException {
  if (parsed.code === 'WORKFLOW_TOO_LARGE') {
    return new ApiException('WORKFLOW_TOO_LARGE', 'the workflow is too large', parsed.problems);
  }
  return new ApiException('INVALID_WORKFLOW', 'the workflow is not valid', parsed.problems);
}
