import type { WorkflowDefinition } from '../definition';
import { storagePathTemplateProblem } from '../templates/storage-refs.util';
import type { SectionReader } from './section-reader.util';
import { readUrlField } from './url-field.util';
import { NOTIFY_KEYS, ON_COMPLETE_KEYS, ON_FAILURE_KEYS } from './workflow-schema';

/** `on_complete: {webhook, storage_path}`; the path's templates are checked with the steps. */
export function parseOnComplete(workflow: SectionReader): WorkflowDefinition['onComplete'] {
  const raw = workflow.mapping('on_complete');
  if (raw === undefined) return null;
  const reader = workflow.nested('on_complete', raw);
  reader.checkKeys(ON_COMPLETE_KEYS);
  const storagePath = reader.string('storage_path') ?? null;
  const problem = storagePath === null ? null : storagePathTemplateProblem(storagePath);
  if (problem !== null)
    reader.report('storage_path', `on_complete.storage_path: ${problem} (STORAGE_PATH_INVALID)`);
  return { webhook: readUrlField(reader, 'webhook'), storagePath };
}

/** `on_failure: {dead_letter, webhook}` (the workflow-level one, not a step's retry.on_failure). */
export function parseOnFailure(workflow: SectionReader): WorkflowDefinition['onFailure'] {
  const raw = workflow.mapping('on_failure');
  if (raw === undefined) return null;
  const reader = workflow.nested('on_failure', raw);
  reader.checkKeys(ON_FAILURE_KEYS);
  return { deadLetter: reader.boolean('dead_letter') ?? false, webhook: readUrlField(reader, 'webhook') };
}

/** `notify: {slack}`: where the notifier posts a Slack message when a run ends. */
export function parseNotify(workflow: SectionReader): { slack: string | null } | null {
  const raw = workflow.mapping('notify');
  if (raw === undefined) return null;
  const reader = workflow.nested('notify', raw);
  reader.checkKeys(NOTIFY_KEYS);
  return { slack: readUrlField(reader, 'slack') };
}
