import { ConfigError, type ConfigProblem } from './config-error';
import type { ConfigOf, Spec } from './env-spec';

/**
 * Reads every variable named in `spec` from `source` (the process environment by default) and
 * returns the typed values. An empty string counts as unset, so `SANDSTORM_URL=` in a compose
 * file means "use the default". All problems are collected before throwing one `ConfigError`.
 */
export function loadConfig<S extends Record<string, Spec>>(
  spec: S,
  source: Record<string, string | undefined> = process.env,
): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [variable, field] of Object.entries(spec)) {
    const raw = source[variable];
    const result = field.parse(raw === '' ? undefined : raw);
    if (result.ok) values[variable] = result.value;
    else problems.push({ variable, message: result.message });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as ConfigOf<S>;
}
