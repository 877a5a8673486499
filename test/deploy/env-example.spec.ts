import { LIMITS_ENV } from '@sandcastle/config';
import { readRepoFile } from './support/deploy-files.util';

/** Every variable the apps and the launcher read (DESIGN.md § Configuration and the app contract). */
const VARIABLES = [
  'NATS_URL',
  'NATS_NAMESPACE',
  'DATABASE_URL',
  'LOG_LEVEL',
  'PORT',
  'WORKFLOWS_DIR',
  'SANDSTORM_URL',
  'SANDSTORM_ENDPOINTS',
  'WORKFLOW_ENV_ALLOWLIST',
  'WEBHOOK_ALLOW_PRIVATE',
  'SANDSTORM_API_KEY',
  'ANTHROPIC_API_KEY',
  'E2B_API_KEY',
  'OPENAI_API_KEY',
  'MODEL_REGISTRY_FILE',
  'MODEL_COOLDOWN_SECONDS',
  'MODEL_API_RETRIES',
  'MODEL_API_IDLE_TIMEOUT_MS',
  'AUTH_REQUIRED',
  'ADMIN_API_KEY',
  'DEFAULT_MAX_COST_USD',
  'DASHBOARD_ORIGIN',
  'WEBHOOK_SECRET',
  'STORAGE_BACKEND',
  'STORAGE_BUCKET',
  'STORAGE_ENDPOINT',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'EXECUTOR_CONCURRENCY',
  'SIMULATED_LATENCY_MS',
  'SIMULATED_COST_USD',
  'SIMULATED_FAILURE_RATE',
  ...Object.keys(LIMITS_ENV),
];

const lines = readRepoFile('.env.example').split('\n');
/** `NAME=value` or `# NAME=value` (documented but off by default). */
const assignments = lines
  .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);

describe('.env.example', () => {
  it.each(VARIABLES)('documents %s', (name) => {
    expect(assignments).toContain(name);
  });

  it('sets each variable once', () => {
    const duplicates = assignments.filter((name, index) => assignments.indexOf(name) !== index);
    expect(duplicates).toEqual([]);
  });

  it('explains every variable with a comment right above it', () => {
    for (const [index, line] of lines.entries()) {
      if (!/^#?\s*[A-Z][A-Z0-9_]*=/.test(line)) continue;
      let above = index - 1;
      while (above >= 0 && /^#?\s*[A-Z][A-Z0-9_]*=/.test(lines[above]!)) above -= 1;
      expect({ line, comment: lines[above]?.startsWith('# ') ?? false }).toEqual({ line, comment: true });
    }
  });
});
