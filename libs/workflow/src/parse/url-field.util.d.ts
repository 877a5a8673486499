import type { SectionReader } from './section-reader.util';
/**
 * `sandstorm_url` and webhooks: a string that may hold `${VAR}`s (resolved by whoever connects,
 * with the environment of that process). Without variables it must already be an http(s) URL;
 * with them it can only be checked once resolved.
 */
export declare function readUrlField(reader: SectionReader, key: string): string | null;
