/**
 * Serialises one log record to a single JSON line. Logging must never throw: circular values
 * are retried with a cycle-breaking replacer (which also collapses repeated references, an
 * acceptable loss for a log line); anything still unserialisable is replaced by a note.
 */
export declare function toLogLine(record: Record<string, unknown>): string;
