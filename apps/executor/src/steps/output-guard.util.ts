import {
  jsonBytes,
  storableResult,
  UnstorableValueError,
  type AttemptErrorKind,
} from '@sandcastle/contracts';
import type { AttemptOutput } from '../runtimes/agent-runtime';

export interface OutputFailure {
  error: string;
  kind: AttemptErrorKind;
  costUsd: number;
  model: string | null;
  usage: AttemptOutput['usage'];
  numTurns: number;
}

/**
 * What a runtime returned, made safe to send and store: strings cleaned of NUL and lone
 * surrogates, token counts clamped to the integer columns, a cost that is not a finite
 * non-negative number counted as 0 (storableResult). An output above `maxBytes` as JSON
 * (MAX_STEP_OUTPUT_BYTES), or nested too deeply to store, fails the attempt with
 * OUTPUT_TOO_LARGE; the money it cost is still reported.
 */
export function checkedOutput(
  out: AttemptOutput,
  maxBytes: number,
  /** The variable named when the output is above `maxBytes`. */
  variable = 'MAX_STEP_OUTPUT_BYTES',
): { kind: 'ok'; output: AttemptOutput } | { kind: 'failed'; failure: OutputFailure } {
  const numbers = storableResult({ ...out, output: null, error: null });
  const fail = (error: string) => ({
    kind: 'failed' as const,
    failure: {
      error,
      kind: 'OUTPUT_TOO_LARGE' as const,
      costUsd: numbers.costUsd,
      model: numbers.model,
      usage: numbers.usage,
      numTurns: numbers.numTurns,
    },
  });
  let output: unknown;
  try {
    output = storableResult({ ...out, error: null }).output;
  } catch (err) {
    if (err instanceof UnstorableValueError) return fail(`the output cannot be stored: ${err.message}`);
    throw err;
  }
  const bytes = jsonBytes(output);
  if (bytes > maxBytes) {
    return fail(`the output is ${bytes} bytes as JSON, above the limit of ${maxBytes} (${variable})`);
  }
  return {
    kind: 'ok',
    output: {
      output,
      costUsd: numbers.costUsd,
      usage: numbers.usage,
      numTurns: numbers.numTurns,
      model: numbers.model,
    },
  };
}
