/** A saved workflow's identifier: what URLs, runs and schedules refer to it by. */
export const WORKFLOW_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,99}$/;

export const WORKFLOW_NAME_RULE =
  "must be 1-100 characters of lower-case letters, digits, '-' and '_', starting with a letter or digit";

export function isWorkflowName(value: string): boolean {
  return WORKFLOW_NAME_PATTERN.test(value);
}
