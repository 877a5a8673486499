/**
 * Stable codes for breached limits (the limits themselves, with their variables and defaults,
 * are defined in libs/config `LIMIT_DEFINITIONS`). API codes are refused at submit time with a
 * 400; step error kinds are stored on the failed step row (`error_kind`) when the breach can
 * only be known while the run runs.
 */
export const LIMIT_API_CODES = ['WORKFLOW_TOO_LARGE', 'INPUT_TOO_LARGE'] as const;

/** Kinds the orchestrator itself gives a step it cannot dispatch (never retried: same input, same breach). */
export const ENGINE_STEP_ERROR_KINDS = ['PROMPT_TOO_LARGE', 'FAN_OUT_TOO_LARGE'] as const;
export type EngineStepErrorKind = (typeof ENGINE_STEP_ERROR_KINDS)[number];

/** Largest value of a PostgreSQL `integer` column: token counters saturate here. */
export const MAX_STORED_INT = 2_147_483_647;

/** `a + b` for counters stored in `integer` columns: saturates instead of overflowing the column. */
export function addCount(a: number, b: number): number {
  return Math.min(MAX_STORED_INT, a + b);
}

/** UTF-8 size of `text` without encoding it (contracts also runs in browsers: no Buffer). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** UTF-8 size of a value sent as JSON (0 for undefined). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : utf8Bytes(text);
}
