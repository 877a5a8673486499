import { describeDefaultRuntime, selectRuntime } from './runtime-selection';

describe('selectRuntime', () => {
  const withUrl = { SANDSTORM_URL: 'http://sandstorm:8000' };
  const noUrl = {};

  it.each([
    // [runtime, workflow sandstorm_url, env, expected]
    [null, null, noUrl, { kind: 'simulated' }],
    [null, null, withUrl, { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000' }],
    [null, 'http://wf:9000', noUrl, { kind: 'sandstorm', baseUrl: 'http://wf:9000' }],
    [null, 'http://wf:9000', withUrl, { kind: 'sandstorm', baseUrl: 'http://wf:9000' }],
    [null, '${SANDSTORM_URL}', withUrl, { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000' }],
    [
      null,
      '${MY_SANDSTORM}',
      { MY_SANDSTORM: 'https://s.example' },
      { kind: 'sandstorm', baseUrl: 'https://s.example' },
    ],
    [null, '${UNSET}', noUrl, { kind: 'simulated' }],
    [null, '${UNSET}', withUrl, { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000' }],
    [null, '', withUrl, { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000' }],
    [null, null, { SANDSTORM_URL: '  ' }, { kind: 'simulated' }],
    ['simulated', 'http://wf:9000', withUrl, { kind: 'simulated' }],
    ['sandstorm', null, withUrl, { kind: 'sandstorm', baseUrl: 'http://sandstorm:8000' }],
    ['sandstorm', 'http://wf:9000', noUrl, { kind: 'sandstorm', baseUrl: 'http://wf:9000' }],
  ] as const)('runtime=%s sandstorm_url=%s env=%j → %j', (runtime, sandstormUrl, env, expected) => {
    expect(selectRuntime({ runtime, sandstormUrl }, env)).toEqual(expected);
  });

  it('explains what to set when sandstorm is required but no URL resolves', () => {
    const plain = selectRuntime({ runtime: 'sandstorm', sandstormUrl: null }, {});
    expect(plain.kind).toBe('error');
    expect(plain.kind === 'error' && plain.message).toMatch(/sandstorm_url.*SANDSTORM_URL/);

    const unset = selectRuntime({ runtime: 'sandstorm', sandstormUrl: '${UNSET}' }, {});
    expect(unset.kind === 'error' && unset.message).toContain('"${UNSET}" resolves to nothing');
  });

  it('rejects a URL that is not http(s)', () => {
    const bad = selectRuntime({ runtime: null, sandstormUrl: '${HOST}:8000' }, {});
    expect(bad).toEqual({
      kind: 'error',
      message: `the workflow's sandstorm_url "\${HOST}:8000" gives ":8000", which is not an http(s) URL`,
    });
  });
});

describe('describeDefaultRuntime', () => {
  it('names the URL and its source, or says output will be simulated', () => {
    expect(describeDefaultRuntime({ SANDSTORM_URL: 'http://sandstorm:8000' })).toBe(
      'default runtime: sandstorm at http://sandstorm:8000 (SANDSTORM_URL)',
    );
    expect(describeDefaultRuntime({})).toMatch(/^default runtime: simulated — SANDSTORM_URL is not set; /);
  });
});
