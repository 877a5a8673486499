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
    else described[key] = typeof value === 'string' ? maskUrlPassword(value) : value;
  }
  return described;
}
