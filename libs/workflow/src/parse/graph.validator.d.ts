import type { FieldProblem } from '@sandcastle/contracts';
import { type GraphNode } from '../planning/step-graph.util';
import type { StepDraft } from './step.parser';
/**
 * Checks the dependency graph: duplicate ids, unknown and self dependencies, cycles. Returns the
 * graph the later checks should use: first occurrence of each id, known dependencies only.
 */
export declare function validateGraph(drafts: readonly StepDraft[], problems: FieldProblem[]): GraphNode[];
