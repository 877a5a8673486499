import { isPlaceholderPath } from '../templates/placeholder.util';
import type { ApprovalDefinition } from '../definition';
import type { SectionReader } from './section-reader.util';
import {
  APPROVAL_ONLY_KEYS,
  APPROVAL_STEP_KEYS,
  APPROVAL_TIMEOUT_ACTIONS,
  MAX_APPROVAL_TIMEOUT_SECONDS,
  STEP_TYPES,
} from './workflow-schema';

/** `type: agent` (the default) or `type: approval`. */
export function readStepType(reader: SectionReader): (typeof STEP_TYPES)[number] {
  return reader.oneOf('type', STEP_TYPES) ?? 'agent';
}

/** An agent step using an approval-only key: the type is probably missing. */
export function reportApprovalKeysOnAgent(reader: SectionReader): void {
  for (const key of APPROVAL_ONLY_KEYS) {
    if (reader.has(key)) reader.report(key, `${key} only applies to a step with type: approval`);
  }
}

/**
 * The approval half of a `type: approval` step (docs/runtimes.md#human-approval). Its `message`
 * is a template like a prompt; `show` a path like `parallel_over`; `timeout` optional (no
 * default: an approval waits until someone decides, unless the workflow says how long).
 */
export function readApproval(reader: SectionReader, dependsOn: readonly string[]): ApprovalDefinition {
  const allowed: readonly string[] = APPROVAL_STEP_KEYS;
  for (const key of Object.keys(reader.raw)) {
    if (!allowed.includes(key)) reader.report(key, `${key} does not apply to an approval step`);
  }
  const show = reader.string('show') ?? null;
  if (show !== null) {
    const path = show.trim();
    const [root, stepId, part] = path.split('.');
    if (!isPlaceholderPath(path) || (root !== 'input' && root !== 'steps')) {
      reader.report(
        'show',
        `show '${path}' must be a path without braces, e.g. steps.draft.output or input.order`,
      );
    } else if (
      root === 'steps' &&
      (stepId === undefined || !dependsOn.includes(stepId) || part !== 'output')
    ) {
      reader.report('show', `show '${path}' must read steps.<a step in depends_on>.output`);
    }
  }
  return {
    show: show?.trim() ?? null,
    timeoutSeconds: reader.integer('timeout', 1, MAX_APPROVAL_TIMEOUT_SECONDS) ?? null,
    onTimeout: reader.oneOf('on_timeout', APPROVAL_TIMEOUT_ACTIONS) ?? 'reject',
    allowEdit: reader.boolean('allow_edit') ?? false,
  };
}
