import type { RetryDefinition } from '../definition';
import type { SectionReader } from './section-reader.util';
/** A step's `retry` block. No block means one attempt and abort, as in the original. */
export declare function parseRetry(step: SectionReader): RetryDefinition;
