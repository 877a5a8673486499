import { parseWorkflowObject, parseWorkflowYaml } from './workflow.parser';
import {
  endpointProblems,
  normaliseUrl,
  sandstormTargetOf,
  type EndpointPolicy,
} from './endpoint-policy.util';

const policy: EndpointPolicy = {
  envAllowList: ['SANDSTORM_URL', 'HOOK_BASE'],
  endpointNames: ['default', 'gpu'],
  endpointUrls: ['http://sandstorm:8000', 'http://sandstorm-gpu:8000'],
};

const steps = [{ id: 'a', prompt: 'p' }];

function problems(top: Record<string, unknown>, p: EndpointPolicy = policy) {
  const result = parseWorkflowObject({ name: 'T', steps, ...top }, { endpoints: p });
  return result.ok ? [] : result.problems;
}

describe('sandstormTargetOf', () => {
  it.each([
    ['${SANDSTORM_URL}', { kind: 'variable', name: 'SANDSTORM_URL' }],
    [' ${GPU} ', { kind: 'variable', name: 'GPU' }],
    ['gpu', { kind: 'endpoint', name: 'gpu' }],
    ['http://Sandstorm:8000/', { kind: 'url', url: 'http://sandstorm:8000' }],
    ['https://${HOST}/x', { kind: 'invalid' }],
    ['${A}${B}', { kind: 'invalid' }],
    ['ftp://x', { kind: 'invalid' }],
  ])('%s → %j', (value, target) => {
    expect(sandstormTargetOf(value)).toEqual(target);
  });

  it('normalises URLs for comparison', () => {
    expect(normaliseUrl('HTTP://SANDSTORM:8000///')).toBe('http://sandstorm:8000');
    expect(normaliseUrl('https://x.example:443/api/')).toBe('https://x.example/api');
  });
});

describe('endpoint policy in the parser', () => {
  it.each([
    [{ sandstorm_url: '${SANDSTORM_URL}' }],
    [{ sandstorm_url: 'gpu' }],
    [{ sandstorm_url: 'default' }],
    [{ sandstorm_url: 'http://sandstorm-gpu:8000/' }],
    [{ sandstorm_url: 'HTTP://SANDSTORM:8000' }],
    [{}],
    [{ on_complete: { webhook: 'https://hooks.example.com/${HOOK_BASE}' } }],
    [{ on_failure: { webhook: 'https://hooks.example.com/x' } }],
  ])('accepts %j', (top) => {
    expect(problems(top)).toEqual([]);
  });

  it.each([
    [
      '${ADMIN_API_KEY}',
      'sandstorm_url: ${ADMIN_API_KEY} is not an allowed variable (allowed: SANDSTORM_URL, HOOK_BASE)',
    ],
    [
      'https://attacker.example',
      /^sandstorm_url must name a configured runtime endpoint; this URL is not one \(configured: default, gpu;/,
    ],
    ['http://169.254.169.254/latest', /this URL is not one/],
    ['http://127.0.0.1:8000', /this URL is not one/],
    ['eu', /^sandstorm_url: no runtime endpoint named 'eu' is configured/],
    ['https://${SANDSTORM_URL}/x', /^sandstorm_url must be exactly one \$\{VAR}/],
    ['${SANDSTORM_URL}${SANDSTORM_URL}', /must be exactly one/],
  ])('refuses sandstorm_url %s, naming the field', (value, message) => {
    expect(problems({ sandstorm_url: value })).toEqual([
      {
        field: 'sandstorm_url',
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      },
    ]);
  });

  it('never puts the refused URL into the problem', () => {
    const result = problems({ sandstorm_url: 'https://attacker.example/steal?k=v' });
    expect(JSON.stringify(result)).not.toContain('attacker');
  });

  it('says when no endpoint is configured at all', () => {
    const none = { envAllowList: ['SANDSTORM_URL'], endpointNames: [], endpointUrls: [] };
    expect(problems({ sandstorm_url: 'http://sandstorm:8000' }, none)[0]?.message).toContain(
      'no endpoints are configured',
    );
    expect(problems({ sandstorm_url: '${SANDSTORM_URL}' }, none)).toEqual([]);
  });

  it('refuses a webhook ${VAR} that is not allow-listed, field by field', () => {
    expect(
      problems({
        on_complete: { webhook: 'https://x.example/${API_KEY_SECRET}' },
        on_failure: { webhook: '${DATABASE_URL}' },
      }),
    ).toEqual([
      {
        field: 'on_complete.webhook',
        message:
          'on_complete.webhook: ${API_KEY_SECRET} is not an allowed variable (allowed: SANDSTORM_URL, HOOK_BASE)',
      },
      {
        field: 'on_failure.webhook',
        message:
          'on_failure.webhook: ${DATABASE_URL} is not an allowed variable (allowed: SANDSTORM_URL, HOOK_BASE)',
      },
    ]);
  });

  it('applies to YAML text too, and without a policy checks only the syntax', () => {
    const text = 'name: T\nsandstorm_url: "${ADMIN_API_KEY}"\nsteps:\n  - id: a\n    prompt: p\n';
    expect(parseWorkflowYaml(text, { endpoints: policy }).ok).toBe(false);
    expect(parseWorkflowYaml(text).ok).toBe(true);
  });

  it('checks stored definitions the same way', () => {
    expect(
      endpointProblems(
        { sandstormUrl: 'https://attacker.example', onComplete: null, onFailure: null },
        policy,
      ),
    ).toHaveLength(1);
    expect(endpointProblems({ sandstormUrl: null, onComplete: null, onFailure: null }, policy)).toEqual([]);
  });
});
