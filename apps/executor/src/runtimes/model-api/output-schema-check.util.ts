import Ajv from 'ajv';

const MAX_PROBLEMS = 5;
const MAX_PROBLEM_CHARS = 160;

export type SchemaCheck = { ok: true } | { ok: false; problems: string[] };

/**
 * Checks a model's answer against the step's `output_schema`. A schema Ajv cannot compile (the
 * parser only checks its shape) is a problem of its own rather than a pass: the step asked for a
 * structure and nothing checked it. Problems name a path and a rule, at most five, each bounded:
 * they go into the attempt's error, which a user reads to fix the prompt or the schema.
 */
export function checkAgainstSchema(schema: Record<string, unknown>, value: unknown): SchemaCheck {
  const ajv = new Ajv({ allErrors: true, jsonPointers: true });
  let validate: Ajv.ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    return {
      ok: false,
      problems: [
        `output_schema cannot be used: ${String((err as Error).message).slice(0, MAX_PROBLEM_CHARS)}`,
      ],
    };
  }
  if (validate(value) === true) return { ok: true };
  const problems = (validate.errors ?? []).slice(0, MAX_PROBLEMS).map((e) => {
    const where = e.dataPath === '' ? '(root)' : e.dataPath;
    return `${where} ${e.message ?? 'is invalid'}`.slice(0, MAX_PROBLEM_CHARS);
  });
  const more = (validate.errors?.length ?? 0) - problems.length;
  if (more > 0) problems.push(`and ${more} more`);
  return { ok: false, problems };
}

/** "the answer does not match output_schema: /score should be number; …" */
export function schemaMismatchMessage(label: string, problems: string[]): string {
  return `${label}: the answer does not match output_schema: ${problems.join('; ')}`;
}
