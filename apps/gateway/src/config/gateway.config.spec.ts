import { ConfigError } from '@sandcastle/config';
import { loadGatewayConfig } from './gateway.config';

describe('loadGatewayConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sandcastle',
      NATS_NAMESPACE: 'sc',
      WORKFLOWS_DIR: './workflows',
      DEFAULT_MAX_COST_USD: 0,
      AUTH_REQUIRED: false,
      BODY_LIMIT: '1mb',
      SANDSTORM_URL: undefined,
      DASHBOARD_ORIGIN: undefined,
    });
  });

  it('refuses AUTH_REQUIRED=true with a message saying why', () => {
    expect(() => loadGatewayConfig({ AUTH_REQUIRED: 'true' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ AUTH_REQUIRED: 'true' })).toThrow(
      /AUTH_REQUIRED: API keys are not implemented yet/,
    );
  });

  it('names every bad variable', () => {
    expect(() =>
      loadGatewayConfig({ BODY_LIMIT: 'lots', DEFAULT_MAX_COST_USD: '-1', SANDSTORM_URL: 'localhost:8000' }),
    ).toThrow(/BODY_LIMIT[\s\S]*DEFAULT_MAX_COST_USD|DEFAULT_MAX_COST_USD[\s\S]*BODY_LIMIT/);
  });

  it('accepts sizes in body-parser notation', () => {
    expect(loadGatewayConfig({ BODY_LIMIT: '512kb' }).BODY_LIMIT).toBe('512kb');
    expect(loadGatewayConfig({ BODY_LIMIT: '2048' }).BODY_LIMIT).toBe('2048');
  });
});
