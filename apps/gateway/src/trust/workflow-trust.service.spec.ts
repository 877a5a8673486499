import { ApiException } from '../http/api.exception';
import { WorkflowTrustService } from './workflow-trust.service';

const config = {
  SANDSTORM_URL: 'http://sandstorm:8000',
  SANDSTORM_ENDPOINTS: [{ name: 'gpu', url: 'http://sandstorm-gpu:8000' }],
  WORKFLOW_ENV_ALLOWLIST: ['SANDSTORM_URL'],
  WEBHOOK_ALLOW_PRIVATE: false,
};

const yaml = (extra: string) => `name: T\n${extra}\nsteps:\n  - id: a\n    prompt: p\n`;

function apiError(fn: () => void): ApiException {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    return error as ApiException;
  }
  throw new Error('expected an ApiException');
}

describe('WorkflowTrustService', () => {
  const trust = new WorkflowTrustService(config);

  it('builds the policy from the configuration', () => {
    expect(trust.policy).toEqual({
      envAllowList: ['SANDSTORM_URL'],
      endpointNames: ['default', 'gpu'],
      endpointUrls: ['http://sandstorm:8000', 'http://sandstorm-gpu:8000'],
    });
  });

  it.each([
    ['sandstorm_url: gpu'],
    ['sandstorm_url: "${SANDSTORM_URL}"'],
    ['sandstorm_url: http://sandstorm:8000/'],
  ])('accepts %s', (line) => {
    expect(trust.parse(yaml(line)).ok).toBe(true);
  });

  it.each([
    ['sandstorm_url: "${ADMIN_API_KEY}"', 'sandstorm_url'],
    ['sandstorm_url: https://attacker.example', 'sandstorm_url'],
    ['sandstorm_url: http://169.254.169.254/latest', 'sandstorm_url'],
    ['on_complete: { webhook: "https://x.example/${API_KEY_SECRET}" }', 'on_complete.webhook'],
    ['on_complete: { webhook: "http://127.0.0.1:9/hook" }', 'on_complete.webhook'],
    ['on_failure: { webhook: "http://169.254.169.254/" }', 'on_failure.webhook'],
  ])('refuses %s naming %s', (line, field) => {
    const result = trust.parse(yaml(line));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.field)).toEqual([field]);
  });

  it('checks stored definitions against the current policy', () => {
    expect(trust.problemsOf({ sandstormUrl: 'gpu', onComplete: null, onFailure: null })).toEqual([]);
    const error = apiError(() =>
      trust.assertRunnable({ sandstormUrl: 'https://attacker.example', onComplete: { webhook: null } }),
    );
    expect(error.code).toBe('INVALID_WORKFLOW');
    expect(error.details?.map((d) => d.field)).toEqual(['sandstorm_url']);
    // A definition with odd shapes is judged by what it has, without throwing anything else.
    expect(trust.problemsOf({ sandstormUrl: 5, onComplete: 'x' })).toEqual([]);
  });

  it('refuses a private callback_url unless WEBHOOK_ALLOW_PRIVATE', () => {
    const error = apiError(() => trust.assertCallbackUrl('http://127.0.0.1:9999/hook'));
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details).toEqual([
      { field: 'callback_url', message: 'callback_url is not allowed: loopback address' },
    ]);
    expect(() => trust.assertCallbackUrl('https://hooks.example.com/x')).not.toThrow();
    expect(() => trust.assertCallbackUrl(null)).not.toThrow();

    const lax = new WorkflowTrustService({ ...config, WEBHOOK_ALLOW_PRIVATE: true });
    expect(() => lax.assertCallbackUrl('http://127.0.0.1:9999/hook')).not.toThrow();
    expect(() => lax.assertCallbackUrl('http://169.254.169.254/')).toThrow(ApiException);
    expect(lax.parse(yaml('on_complete: { webhook: "http://localhost:9/hook" }')).ok).toBe(true);
  });
});
