import { ConfigError } from '@sandcastle/config';
import { loadGatewayConfig } from './gateway.config';

const ADMIN = 'admin-key-of-the-operator-0123456789';
const SECRET = 'hmac-secret-for-api-keys-0123456789abcdef';

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
      ADMIN_API_KEY: undefined,
      API_KEY_SECRET: undefined,
      RATE_LIMIT_PER_MINUTE: 600,
      SANDSTORM_URL: undefined,
      DASHBOARD_ORIGIN: undefined,
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 1200,
      TRUST_PROXY: false,
      MAX_STREAMS_PER_TENANT: 50,
      MAX_SYNC_WAITS_PER_TENANT: 20,
      MESSAGE_MAX_DELIVERIES: 20,
      DB_CONNECT_TIMEOUT_MS: 5_000,
      DB_STATEMENT_TIMEOUT_MS: 30_000,
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 60_000,
    });
  });

  it('reads TRUST_PROXY as off, a hop count or trusted addresses, and refuses true', () => {
    expect(loadGatewayConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadGatewayConfig({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(loadGatewayConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadGatewayConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(() => loadGatewayConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY.*X-Forwarded-For/);
    expect(() => loadGatewayConfig({ TRUST_PROXY: 'proxy.example' })).toThrow(/TRUST_PROXY/);
    expect(() => loadGatewayConfig({ TRUST_PROXY: '99' })).toThrow(/TRUST_PROXY/);
  });

  it('needs API_KEY_SECRET when AUTH_REQUIRED=true or ADMIN_API_KEY is set, and names it', () => {
    expect(() => loadGatewayConfig({ AUTH_REQUIRED: 'true' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ AUTH_REQUIRED: 'true' })).toThrow(
      /API_KEY_SECRET: is required when AUTH_REQUIRED=true/,
    );
    expect(() => loadGatewayConfig({ ADMIN_API_KEY: ADMIN })).toThrow(
      /API_KEY_SECRET: is required when ADMIN_API_KEY is set/,
    );
    const config = loadGatewayConfig({ AUTH_REQUIRED: 'true', ADMIN_API_KEY: ADMIN, API_KEY_SECRET: SECRET });
    expect(config).toMatchObject({ AUTH_REQUIRED: true, ADMIN_API_KEY: ADMIN, API_KEY_SECRET: SECRET });
  });

  it('refuses short secrets without echoing them', () => {
    let message = '';
    try {
      loadGatewayConfig({ ADMIN_API_KEY: 'short-admin', API_KEY_SECRET: 'short-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ADMIN_API_KEY: must be at least 32 characters \(got 11\)/);
    expect(message).toMatch(/API_KEY_SECRET: must be at least 32 characters \(got 12\)/);
    expect(message).not.toContain('short-admin');
    expect(message).not.toContain('short-secret');
  });

  it('reads RATE_LIMIT_PER_MINUTE, with 0 meaning off', () => {
    expect(loadGatewayConfig({ RATE_LIMIT_PER_MINUTE: '0' }).RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(loadGatewayConfig({ RATE_LIMIT_PER_MINUTE: '120' }).RATE_LIMIT_PER_MINUTE).toBe(120);
    expect(() => loadGatewayConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
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

describe('loadGatewayConfig: storage', () => {
  it('stops the boot when the storage variables cannot work, naming them', () => {
    expect(() => loadGatewayConfig({ STORAGE_BACKEND: 's3' })).toThrow(
      'STORAGE_BACKEND=s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
    expect(() =>
      loadGatewayConfig({
        STORAGE_BACKEND: 's3',
        STORAGE_ENDPOINT: 'http://minio:9000/bucket',
        AWS_ACCESS_KEY_ID: 'k',
        AWS_SECRET_ACCESS_KEY: 's',
      }),
    ).toThrow(
      "STORAGE_ENDPOINT must look like http(s)://host[:port], without a path (got 'http://minio:9000/bucket')",
    );
  });
});
