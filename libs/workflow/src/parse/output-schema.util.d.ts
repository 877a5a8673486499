import { type SectionReader } from './section-reader.util';
/**
 * `output_schema` is sent to the runtime as a JSON Schema and stored in the run snapshot, so it
 * must be a mapping of plain JSON values (YAML can also produce binary data or infinities). The
 * one schema rule checked here is the one typos break most: a `type` must be a JSON Schema type.
 */
export declare function readOutputSchema(step: SectionReader): Record<string, unknown> | null;
