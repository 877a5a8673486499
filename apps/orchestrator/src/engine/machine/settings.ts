import { DEFAULT_LIMITS } from '@sandcastle/config';
import type { NatsNames } from '@sandcastle/contracts';

export interface MachineSettings {
  names: NatsNames;
  /** Extra time after a step's timeout before an attempt without a result is presumed lost. */
  lostAttemptGraceMs: number;
  /** How long a dispatched attempt may wait in the queue before it counts toward being lost. */
  queueAllowanceMs: number;
  /** The operator's cap on a fan-out step's `max_concurrency` (MAX_FAN_OUT_CONCURRENCY). */
  maxFanOutConcurrency?: number;
  /** Size limits (libs/config LIMITS_ENV); unset ones take their defaults. */
  limits?: Partial<MachineLimits>;
}

export interface MachineLimits {
  /** MAX_FAN_OUT_ITEMS: a parallel_over step over more items fails with FAN_OUT_TOO_LARGE. */
  maxFanOutItems: number;
  /** MAX_PROMPT_BYTES: a prompt that renders larger fails its step with PROMPT_TOO_LARGE. */
  maxPromptBytes: number;
  /** MAX_EVENT_OUTPUT_BYTES: larger outputs travel in events as a truncated preview. */
  maxEventOutputBytes: number;
  /** The broker's max payload (minus room for headers): no dispatch is queued above it. */
  maxMessageBytes: number;
}

/** NATS' default max_payload (1 MiB) less room for headers, when the server's is not known. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 - 16 * 1024;

export function machineLimits(overrides: Partial<MachineLimits> = {}): MachineLimits {
  return {
    maxFanOutItems: overrides.maxFanOutItems ?? DEFAULT_LIMITS.MAX_FAN_OUT_ITEMS,
    maxPromptBytes: overrides.maxPromptBytes ?? DEFAULT_LIMITS.MAX_PROMPT_BYTES,
    maxEventOutputBytes: overrides.maxEventOutputBytes ?? DEFAULT_LIMITS.MAX_EVENT_OUTPUT_BYTES,
    maxMessageBytes: overrides.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  };
}
