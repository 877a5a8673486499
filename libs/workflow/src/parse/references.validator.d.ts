import type { FieldProblem } from '@sandcastle/contracts';
import { type GraphNode } from '../planning/step-graph.util';
import type { StepDraft } from './step.parser';
/**
 * Checks what prompts, fallback prompts, `parallel_over` and `on_complete.storage_path` refer
 * to. A step may only read outputs of its (transitive) dependencies: anything else either does
 * not exist or may not have run yet, and the original then rendered the placeholder verbatim
 * into the prompt.
 */
export declare function validateReferences(drafts: readonly StepDraft[], nodes: readonly GraphNode[], storagePath: string | null, problems: FieldProblem[]): void;
