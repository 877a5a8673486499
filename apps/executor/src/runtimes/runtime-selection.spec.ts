import {
  defaultModelRegistry,
  loadConfig,
  RUNTIME_ENDPOINTS_ENV,
  runtimeEndpointsOf,
} from '@sandcastle/config';
import {
  describeDefaultRuntime,
  describeModelRuntimes,
  selectRuntime,
  type EndpointTable,
} from './runtime-selection';

function tableOf(env: Record<string, string>, processEnv: Record<string, string> = env): EndpointTable {
  const config = loadConfig(RUNTIME_ENDPOINTS_ENV, env);
  const allowedEnv: Record<string, string> = {};
  for (const name of config.WORKFLOW_ENV_ALLOWLIST) {
    const value = processEnv[name];
    if (value !== undefined) allowedEnv[name] = value;
  }
  return { endpoints: runtimeEndpointsOf(config), allowedEnv };
}

const SECRET = 'admin-secret-value-0123456789abcdef';

describe('selectRuntime', () => {
  const withUrl = tableOf({ SANDSTORM_URL: 'http://sandstorm:8000' });
  const noUrl = tableOf({});
  const named = tableOf({
    SANDSTORM_URL: 'http://sandstorm:8000',
    SANDSTORM_ENDPOINTS: 'gpu=http://sandstorm-gpu:8000',
    WORKFLOW_ENV_ALLOWLIST: 'SANDSTORM_URL,GPU_URL,OTHER_URL',
    GPU_URL: 'http://SANDSTORM-GPU:8000/',
    OTHER_URL: 'https://attacker.example',
    ADMIN_API_KEY: SECRET,
  });

  it.each([
    // [runtime, workflow sandstorm_url, table, expected]
    [null, null, noUrl, { kind: 'simulated' }],
    [null, null, withUrl, { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000', endpoint: 'default' }],
    [
      null,
      '${SANDSTORM_URL}',
      withUrl,
      { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000', endpoint: 'default' },
    ],
    [null, '${SANDSTORM_URL}', noUrl, { kind: 'simulated' }],
    [null, '', withUrl, { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000', endpoint: 'default' }],
    [null, 'default', withUrl, { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000', endpoint: 'default' }],
    [
      null,
      'http://sandstorm:8000/',
      withUrl,
      { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000', endpoint: 'default' },
    ],
    [null, 'gpu', named, { kind: 'sandstorm', baseUrl: 'http://sandstorm-gpu:8000', endpoint: 'gpu' }],
    [
      null,
      'http://sandstorm-gpu:8000',
      named,
      { kind: 'sandstorm', baseUrl: 'http://sandstorm-gpu:8000', endpoint: 'gpu' },
    ],
    [null, '${GPU_URL}', named, { kind: 'sandstorm', baseUrl: 'http://sandstorm-gpu:8000', endpoint: 'gpu' }],
    ['simulated', 'https://attacker.example', withUrl, { kind: 'simulated' }],
    [
      'sandstorm',
      null,
      withUrl,
      { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000', endpoint: 'default' },
    ],
  ] as const)('runtime=%s sandstorm_url=%s → %j', (runtime, sandstormUrl, table, expected) => {
    expect(selectRuntime({ runtime, sandstormUrl }, table)).toEqual(expected);
  });

  it.each([
    [
      '${ADMIN_API_KEY}',
      'sandstorm_url: ${ADMIN_API_KEY} is not an allowed variable (WORKFLOW_ENV_ALLOWLIST)',
    ],
    ['${OTHER_URL}', 'sandstorm_url: the value of ${OTHER_URL} is not a configured runtime endpoint'],
    ['https://attacker.example', 'sandstorm_url is not a configured runtime endpoint'],
    ['http://169.254.169.254/latest/meta-data', 'sandstorm_url is not a configured runtime endpoint'],
    ['http://127.0.0.1:8000', 'sandstorm_url is not a configured runtime endpoint'],
    ['https://${SANDSTORM_URL}/x', 'sandstorm_url is not a configured runtime endpoint'],
    ['eu', "sandstorm_url: no runtime endpoint named 'eu' is configured"],
  ])('refuses %s with a fixed message', (sandstormUrl, message) => {
    const selection = selectRuntime({ runtime: null, sandstormUrl }, named);
    expect(selection).toEqual({ kind: 'error', message });
    expect(JSON.stringify(selection)).not.toContain(SECRET);
    expect(JSON.stringify(selection)).not.toContain('attacker');
  });

  it('never resolves a variable from the rest of the environment', () => {
    // ADMIN_API_KEY is set in the process environment but not allow-listed.
    const table = tableOf({ SANDSTORM_URL: 'http://sandstorm:8000' }, { ADMIN_API_KEY: SECRET });
    expect(table.allowedEnv).toEqual({});
    expect(selectRuntime({ runtime: null, sandstormUrl: '${ADMIN_API_KEY}' }, table).kind).toBe('error');
  });

  it('a model API runtime takes the step chain (or its one model), whatever sandstorm_url says', () => {
    expect(
      selectRuntime(
        { runtime: 'anthropic', sandstormUrl: 'https://attacker.example', model: 'sonnet' },
        named,
      ),
    ).toEqual({
      kind: 'models',
      chain: ['sonnet'],
    });
    expect(
      selectRuntime(
        { runtime: 'openai', sandstormUrl: null, model: 'gpt-4o', models: ['gpt-4o', 'llama'] },
        noUrl,
      ),
    ).toEqual({ kind: 'models', chain: ['gpt-4o', 'llama'] });
  });

  it('says what to set when sandstorm is required but no endpoint is configured', () => {
    const plain = selectRuntime({ runtime: 'sandstorm', sandstormUrl: null }, noUrl);
    expect(plain.kind === 'error' && plain.message).toMatch(/needs a runtime endpoint.*SANDSTORM_URL/);
  });
});

describe('describeModelRuntimes', () => {
  it('lists each model endpoint, whether its key is set, and its models (never a key)', () => {
    const line = describeModelRuntimes(
      defaultModelRegistry(),
      new Map([['ANTHROPIC_API_KEY', 'sk-ant-secret']]),
    );
    expect(line).toBe(
      'model API runtimes (registry built-in): anthropic [anthropic] ready: haiku, sonnet, opus; ' +
        'openai [openai] off (OPENAI_API_KEY not set): gpt-4o-mini, gpt-4o',
    );
  });
});

describe('describeDefaultRuntime', () => {
  it('names the origin and the named endpoints, or says output will be simulated', () => {
    expect(describeDefaultRuntime(tableOf({ SANDSTORM_URL: 'http://sandstorm:8000/x' }).endpoints)).toBe(
      'default runtime: sandstorm at http://sandstorm:8000 (SANDSTORM_URL)',
    );
    expect(describeDefaultRuntime(tableOf({ SANDSTORM_ENDPOINTS: 'gpu=http://g:1' }).endpoints)).toMatch(
      /^default runtime: simulated — SANDSTORM_URL is not set; .*named endpoints: gpu$/,
    );
  });
});
