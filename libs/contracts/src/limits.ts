/**
 * Stable codes for breached limits (the limits themselves, with their variables and defaults,
 * are defined in libs/config `LIMIT_DEFINITIONS`). API codes are refused at submit time with a
 * 400; step error kinds are stored on the failed step row (`error_kind`) when the breach can
 * only be known while the run runs.
 */
export const LIMIT_API_CODES = ['WORKFLOW_TOO_LARGE', 'INPUT_TOO_LARGE'] as const;

/** Kinds the orchestrator itself gives a step it cannot dispatch (never retried: same input, same breach). */
export const ENGINE_STEP_ERROR_KINDS = [
  'PROMPT_TOO_LARGE',
  'FAN_OUT_TOO_LARGE',
  'STORAGE_PATH_INVALID',
] as const;
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

/** Thrown by `writeJson` when the text would pass its byte budget. */
export class JsonBudgetExceeded extends Error {
  constructor(readonly atLeast: number) {
    super(`JSON text exceeds its budget (at least ${atLeast} bytes)`);
    this.name = 'JsonBudgetExceeded';
  }
}

/**
 * JSON.stringify in pieces, for sizes a tenant controls: `onPiece` sees the text piece by piece
 * and may stop early by returning false, so a 200 MB value costs only what was looked at before
 * the budget ran out (JSON.stringify would build it all first). Same text as JSON.stringify
 * for JSON values (non-finite numbers → null, undefined members skipped, toJSON honoured).
 */
export function writeJson(value: unknown, onPiece: (piece: string) => boolean): boolean {
  const write = (v: unknown, inArray: boolean): boolean => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: () => unknown }).toJSON();
    }
    if (v === null) return onPiece('null');
    switch (typeof v) {
      case 'string':
        return onPiece(JSON.stringify(v));
      case 'number':
        return onPiece(Number.isFinite(v) ? String(v) : 'null');
      case 'boolean':
        return onPiece(v ? 'true' : 'false');
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      case 'object':
        break;
      case 'undefined':
      case 'function':
      case 'symbol':
        // Null inside arrays, skipped as members (by the caller), as JSON.stringify does.
        return inArray ? onPiece('null') : true;
    }
    if (Array.isArray(v)) {
      if (!onPiece('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !onPiece(',')) return false;
        if (!write(v[i], true)) return false;
      }
      return onPiece(']');
    }
    if (!onPiece('{')) return false;
    let first = true;
    for (const [key, member] of Object.entries(v as Record<string, unknown>)) {
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      if (!onPiece(`${first ? '' : ','}${JSON.stringify(key)}:`)) return false;
      first = false;
      if (!write(member, false)) return false;
    }
    return onPiece('}');
  };
  return write(value, true);
}

/** JSON.stringify(value), or JsonBudgetExceeded as soon as the text passes `maxBytes` (UTF-8). */
export function stringifyWithin(value: unknown, maxBytes: number): string {
  const pieces: string[] = [];
  let bytes = 0;
  writeJson(value, (piece) => {
    bytes += utf8Bytes(piece);
    if (bytes > maxBytes) throw new JsonBudgetExceeded(bytes);
    pieces.push(piece);
    return true;
  });
  return pieces.join('');
}

/** What an event carries for an output: the value itself, or a preview when it is too large. */
export type BoundedOutput =
  { output: unknown } | { output: string; output_truncated: true; output_bytes: number };

/**
 * An output for an event or any message with a size budget: as is when its JSON fits in
 * `maxBytes`, else the first `maxBytes` bytes of its JSON text as a string preview, with
 * `output_truncated: true` and its full size. The full output stays on the step row
 * (GET /runs/{id}); storage references replace the preview once storage offload lands.
 */
export function boundedOutput(output: unknown, maxBytes: number): BoundedOutput {
  const preview: string[] = [];
  let previewBytes = 0;
  let total = 0;
  writeJson(output, (piece) => {
    const size = utf8Bytes(piece);
    total += size;
    if (previewBytes < maxBytes) {
      const room = maxBytes - previewBytes;
      if (size <= room) {
        preview.push(piece);
        previewBytes += size;
      } else {
        preview.push(cutToBytes(piece, room));
        previewBytes = maxBytes; // the preview is a prefix: nothing after a cut piece
      }
    }
    return true;
  });
  if (total <= maxBytes) return { output };
  return { output: preview.join(''), output_truncated: true, output_bytes: total };
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never splitting a surrogate pair. */
export function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    const pair = c >= 0xd800 && c <= 0xdbff && end + 1 < text.length;
    const next = pair ? text.charCodeAt(end + 1) : 0;
    const isPair = pair && next >= 0xdc00 && next <= 0xdfff;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : isPair ? 4 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += isPair ? 2 : 1;
  }
  return text.slice(0, end);
}
