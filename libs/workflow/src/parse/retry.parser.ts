import type { BackoffKind, OnFailure, RetryDefinition } from '../definition';
import type { SectionReader } from './section-reader.util';
import { RETRY_KEYS, WORKFLOW_DEFAULTS, WORKFLOW_LIMITS } from './workflow-schema';

const BACKOFF_KINDS: readonly BackoffKind[] = ['exponential', 'fixed'];
const ON_FAILURE_VALUES: readonly OnFailure[] = ['abort', 'skip', 'fallback'];

/** A step's `retry` block. No block means one attempt and abort, as in the original. */
export function parseRetry(step: SectionReader): RetryDefinition {
  const base = {
    backoff: 'exponential' as BackoffKind,
    onFailure: 'abort' as OnFailure,
    baseDelaySeconds: WORKFLOW_DEFAULTS.baseDelaySeconds,
    maxDelaySeconds: WORKFLOW_DEFAULTS.maxDelaySeconds,
  };
  const raw = step.mapping('retry');
  if (raw === undefined) return { ...base, maxAttempts: WORKFLOW_DEFAULTS.attemptsWithoutRetry };

  const reader = step.nested('retry', raw);
  reader.checkKeys(RETRY_KEYS);
  const limits = WORKFLOW_LIMITS;
  const retry: RetryDefinition = {
    maxAttempts:
      reader.integer('max_attempts', limits.maxAttempts.min, limits.maxAttempts.max) ??
      WORKFLOW_DEFAULTS.retryMaxAttempts,
    backoff: reader.oneOf('backoff', BACKOFF_KINDS) ?? base.backoff,
    onFailure: reader.oneOf('on_failure', ON_FAILURE_VALUES) ?? base.onFailure,
    baseDelaySeconds:
      reader.number('base_delay_seconds', limits.baseDelaySeconds.min, limits.baseDelaySeconds.max) ??
      base.baseDelaySeconds,
    maxDelaySeconds:
      reader.number('max_delay_seconds', limits.maxDelaySeconds.min, limits.maxDelaySeconds.max) ??
      base.maxDelaySeconds,
  };
  if (retry.maxDelaySeconds < retry.baseDelaySeconds) {
    reader.report(
      reader.has('max_delay_seconds') ? 'max_delay_seconds' : 'base_delay_seconds',
      `retry.max_delay_seconds (${retry.maxDelaySeconds}) must not be less than retry.base_delay_seconds (${retry.baseDelaySeconds})`,
    );
  }
  return retry;
}
