import type { FieldProblem } from '@sandcastle/contracts';
import type { WorkflowDefinition } from '../definition';
export type ParseResult = {
    ok: true;
    definition: WorkflowDefinition;
} | {
    ok: false;
    problems: FieldProblem[];
};
/** Problems with the YAML text itself are reported against this field. */
export declare const YAML_FIELD = "yaml";
/**
 * YAML text → validated definition. Never throws on bad input: syntax errors (with line and
 * column) and every problem of the content are returned together.
 */
export declare function parseWorkflowYaml(yamlText: string): ParseResult;
/** The same checks on an already parsed value (e.g. a workflow sent as JSON). */
export declare function parseWorkflowObject(raw: unknown): ParseResult;
