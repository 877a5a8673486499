import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import {
  allowListedEnv,
  OUTBOUND_ENV,
  RUNTIME_ENDPOINTS_ENV,
  runtimeEndpointsOf,
} from './runtime-endpoints-env';

const load = (source: Record<string, string | undefined>) => loadConfig(RUNTIME_ENDPOINTS_ENV, source);

function problemOf(source: Record<string, string>): string {
  try {
    load(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('RUNTIME_ENDPOINTS_ENV', () => {
  it('defaults to no endpoint and an allow-list of just SANDSTORM_URL', () => {
    expect(load({})).toEqual({
      SANDSTORM_URL: undefined,
      SANDSTORM_ENDPOINTS: [],
      WORKFLOW_ENV_ALLOWLIST: ['SANDSTORM_URL'],
    });
  });

  it('parses named endpoints, normalising their URLs', () => {
    const config = load({
      SANDSTORM_URL: 'http://sandstorm:8000/',
      SANDSTORM_ENDPOINTS: ' gpu=http://Sandstorm-GPU:8000/ , eu=https://eu.example.com/sandstorm/,',
      WORKFLOW_ENV_ALLOWLIST: 'SANDSTORM_URL, GPU_URL,SANDSTORM_URL',
    });
    expect(config.SANDSTORM_ENDPOINTS).toEqual([
      { name: 'gpu', url: 'http://sandstorm-gpu:8000' },
      { name: 'eu', url: 'https://eu.example.com/sandstorm' },
    ]);
    expect(config.WORKFLOW_ENV_ALLOWLIST).toEqual(['SANDSTORM_URL', 'GPU_URL']);
    const endpoints = runtimeEndpointsOf(config);
    expect(endpoints.defaultUrl).toBe('http://sandstorm:8000');
    expect([...endpoints.byName]).toEqual([
      ['default', 'http://sandstorm:8000'],
      ['gpu', 'http://sandstorm-gpu:8000'],
      ['eu', 'https://eu.example.com/sandstorm'],
    ]);
    expect(endpoints.byUrl.get('http://sandstorm-gpu:8000')).toBe('gpu');
  });

  it.each([
    ['gpu', /'gpu' needs an http\(s\) URL/],
    ['GPU=http://x', /name=url/],
    ['default=http://x', /reserved for SANDSTORM_URL/],
    ['gpu=ftp://x', /'gpu' needs an http\(s\) URL/],
    ['gpu=http://a,gpu=http://b', /listed twice/],
  ])('refuses SANDSTORM_ENDPOINTS=%s', (raw, message) => {
    expect(problemOf({ SANDSTORM_ENDPOINTS: raw })).toMatch(message);
  });

  it('never quotes an endpoint URL in its problem (it may carry credentials)', () => {
    expect(problemOf({ SANDSTORM_ENDPOINTS: 'gpu=notaurl-s3cr3t' })).not.toContain('s3cr3t');
  });

  it.each([
    ['ADMIN_API_KEY'],
    ['API_KEY_SECRET'],
    ['SANDSTORM_API_KEY'],
    ['DATABASE_URL'],
    ['GITHUB_TOKEN'],
    ['DB_PASSWORD'],
  ])('refuses to allow-list the secret-looking %s', (name) => {
    expect(problemOf({ WORKFLOW_ENV_ALLOWLIST: `SANDSTORM_URL,${name}` })).toMatch(/must not name a secret/);
  });

  it('refuses malformed variable names', () => {
    expect(problemOf({ WORKFLOW_ENV_ALLOWLIST: 'A-B' })).toMatch(/variable names/);
  });

  it('picks only allow-listed, set variables', () => {
    expect(allowListedEnv(['A', 'B', 'C'], { A: 'a', B: '', D: 'secret' })).toEqual({ A: 'a' });
  });

  it('WEBHOOK_ALLOW_PRIVATE defaults to false', () => {
    expect(loadConfig(OUTBOUND_ENV, {})).toEqual({ WEBHOOK_ALLOW_PRIVATE: false });
    expect(loadConfig(OUTBOUND_ENV, { WEBHOOK_ALLOW_PRIVATE: 'true' })).toEqual({
      WEBHOOK_ALLOW_PRIVATE: true,
    });
  });
});
