import type { FieldProblem } from '@sandcastle/contracts';
import type { StepDefinition } from '../definition';
import { SectionReader } from './section-reader.util';
/** Workflow-level values a step inherits (already parsed, defaults applied). */
export type StepDefaults = Pick<StepDefinition, 'model' | 'maxTurns' | 'timeout' | 'runtime' | 'simulation'>;
/**
 * A step as far as it could be read. `id` is null when missing or malformed (such a step takes
 * no part in graph checks); `reader` lets later checks report against the step's fields.
 */
export interface StepDraft extends Omit<StepDefinition, 'id'> {
    id: string | null;
    index: number;
    reader: SectionReader;
}
export declare function parseStep(raw: unknown, index: number, defaults: StepDefaults, problems: FieldProblem[]): StepDraft | null;
