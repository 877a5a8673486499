import { ConfigError } from './config-error';
import { DEFAULT_LIMITS, LIMIT_DEFINITIONS, LIMITS_ENV, limitsOf } from './limits-env';
import { loadConfig } from './load-config';

describe('LIMITS_ENV', () => {
  it('has one variable per definition, with the documented defaults', () => {
    expect(Object.keys(LIMITS_ENV).sort()).toEqual(Object.keys(LIMIT_DEFINITIONS).sort());
    for (const [name, def] of Object.entries(LIMIT_DEFINITIONS)) {
      expect({ name, value: DEFAULT_LIMITS[name as keyof typeof DEFAULT_LIMITS] }).toEqual({
        name,
        value: def.default,
      });
      expect(def.default).toBeGreaterThanOrEqual(def.min);
      expect(def.default).toBeLessThanOrEqual(def.max);
    }
  });

  it('keeps the default message sizes well under NATS’ 1 MiB max payload', () => {
    for (const name of ['MAX_PROMPT_BYTES', 'MAX_STEP_OUTPUT_BYTES', 'MAX_EVENT_OUTPUT_BYTES'] as const) {
      expect(DEFAULT_LIMITS[name]).toBeLessThanOrEqual(512 * 1024);
    }
  });

  it('reads set values and names a value out of bounds', () => {
    expect(loadConfig(LIMITS_ENV, { MAX_FAN_OUT_ITEMS: '50' }).MAX_FAN_OUT_ITEMS).toBe(50);
    expect(() => loadConfig(LIMITS_ENV, { MAX_WORKFLOW_STEPS: '20000' })).toThrow(ConfigError);
    expect(() => loadConfig(LIMITS_ENV, { MAX_WORKFLOW_STEPS: '20000' })).toThrow(
      /MAX_WORKFLOW_STEPS: must be an integer between 1 and 10000/,
    );
  });

  it('picks the limits out of a larger config', () => {
    const config = { ...DEFAULT_LIMITS, PORT: 1 };
    expect(limitsOf(config)).toEqual(DEFAULT_LIMITS);
  });
});
