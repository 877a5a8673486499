import { maskUrlPassword } from './env-spec';

/**
 * A copy of `cfg` that is safe for the start log line: the values of `secretKeys` become `***`
 * (or stay `undefined` when unset, so the log still shows whether a secret is configured), and
 * passwords inside URL values (`postgres://u:pw@host`) are masked wherever they appear.
 */
export function describeConfig(cfg: object, secretKeys: string[]): Record<string, unknown> {
  const secrets = new Set(secretKeys);
  const described: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cfg)) {
    if (secrets.has(key)) described[key] = value === undefined || value === '' ? value : '***';
    else described[key] = masked(value);
  }
  return described;
}

/** URL passwords masked in strings, also inside lists and objects (SANDSTORM_ENDPOINTS). */
function masked(value: unknown): unknown {
  if (typeof value === 'string') return maskUrlPassword(value);
  if (Array.isArray(value)) return value.map(masked);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)]));
  }
  return value;
}
