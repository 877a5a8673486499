import type { SectionReader } from './section-reader.util';
/**
 * Models are passed to the runtime as written (an alias such as `sonnet`, or a full model id),
 * so any plausible name is accepted. What is caught: whitespace, absurd lengths, and near-misses
 * of an alias (`sonet`, `Haiku`) that the runtime would only reject mid-run.
 */
export declare function readModel(reader: SectionReader, key: string): string | undefined;
