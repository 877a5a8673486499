import { ApiException } from '../http/api.exception';

export function workflowNotFound(name: string): ApiException {
  return new ApiException('WORKFLOW_NOT_FOUND', `workflow '${name.slice(0, 200)}' not found`);
}
