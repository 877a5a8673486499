import type { WorkflowDefinition } from '../definition';
import type { SectionReader } from './section-reader.util';
/** `on_complete: {webhook, storage_path}`; the path's templates are checked with the steps. */
export declare function parseOnComplete(workflow: SectionReader): WorkflowDefinition['onComplete'];
/** `on_failure: {dead_letter, webhook}` (the workflow-level one, not a step's retry.on_failure). */
export declare function parseOnFailure(workflow: SectionReader): WorkflowDefinition['onFailure'];
