import { env } from './env';
import type { ConfigOf } from './env-spec';
import { loadConfig } from './load-config';

/** A breach is refused or failed with this code (see libs/contracts), or only truncated (null). */
interface LimitDefinition {
  default: number;
  min: number;
  max: number;
  code: string | null;
  description: string;
}

/**
 * Every size and count a tenant controls, defined once: the variable, its default and bounds,
 * the stable code a breach is reported with, and what it bounds. Services spread `LIMITS_ENV`
 * into their spec; libraries that must stay free of I/O (libs/workflow) take a `Limits` object
 * as a parameter and default to `DEFAULT_LIMITS`. docs/security.md ("Limits") lists the same.
 *
 * Defaults keep every message well under NATS' default max payload (1 MiB): a dispatch carries a
 * prompt of at most MAX_PROMPT_BYTES, a result an output of at most MAX_STEP_OUTPUT_BYTES, an
 * event an output preview of at most MAX_EVENT_OUTPUT_BYTES.
 */
export const LIMIT_DEFINITIONS = {
  MAX_WORKFLOW_STEPS: {
    default: 500,
    min: 1,
    // The validator's reachability table takes steps² / 8 bytes: 12.5 MB at this maximum.
    max: 10_000,
    code: 'WORKFLOW_TOO_LARGE',
    description: 'steps in one workflow definition',
  },
  MAX_WORKFLOW_BYTES: {
    default: 256 * 1024,
    min: 1024,
    max: 16 * 1024 * 1024,
    code: 'WORKFLOW_TOO_LARGE',
    description: 'bytes of the workflow YAML, and of the parsed definition as JSON (aliases expanded)',
  },
  MAX_INPUT_BYTES: {
    default: 256 * 1024,
    min: 1024,
    max: 16 * 1024 * 1024,
    code: 'INPUT_TOO_LARGE',
    description: 'bytes of a run input as JSON',
  },
  MAX_FAN_OUT_ITEMS: {
    default: 1000,
    min: 1,
    max: 1_000_000,
    code: 'FAN_OUT_TOO_LARGE',
    description: 'items one parallel_over step fans out over',
  },
  MAX_PROMPT_BYTES: {
    default: 256 * 1024,
    min: 1024,
    max: 16 * 1024 * 1024,
    code: 'PROMPT_TOO_LARGE',
    description: 'bytes of one rendered prompt (also bounds the dispatch message)',
  },
  MAX_STEP_OUTPUT_BYTES: {
    default: 256 * 1024,
    min: 1024,
    max: 16 * 1024 * 1024,
    code: 'OUTPUT_TOO_LARGE',
    description: 'bytes of one attempt output as JSON, inline in its result (also caps simulated output)',
  },
  MAX_EVENT_OUTPUT_BYTES: {
    default: 64 * 1024,
    min: 256,
    max: 16 * 1024 * 1024,
    code: null,
    description:
      'bytes of output an event carries; larger ones travel as a preview with output_truncated: true',
  },
  MAX_RUNTIME_EVENT_BYTES: {
    default: 1024 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
    code: 'RUNTIME_STREAM_TOO_LARGE',
    description: 'bytes of one line or event of a runtime event stream',
  },
  MAX_RUNTIME_STREAM_BYTES: {
    default: 32 * 1024 * 1024,
    min: 1024,
    max: 1024 * 1024 * 1024,
    code: 'RUNTIME_STREAM_TOO_LARGE',
    description: 'bytes of one whole runtime response stream',
  },
  MAX_RUNTIME_ERROR_BODY_BYTES: {
    default: 8 * 1024,
    min: 256,
    max: 1024 * 1024,
    code: null,
    description: 'bytes of a runtime error response read; the rest is discarded unread',
  },
  MAX_RUNTIME_FILE_BYTES: {
    default: 50 * 1024 * 1024,
    min: 0,
    max: 1024 * 1024 * 1024,
    code: null,
    description:
      'bytes of files (Sandstorm `file` events) kept from one attempt and stored as artifacts; more are dropped and logged, 0 keeps none',
  },
} as const satisfies Record<string, LimitDefinition>;

export type LimitName = keyof typeof LIMIT_DEFINITIONS;

function limitSpec<N extends LimitName>(name: N) {
  const d = LIMIT_DEFINITIONS[name];
  return env.int({ default: d.default, min: d.min, max: d.max });
}

export const LIMITS_ENV = {
  MAX_WORKFLOW_STEPS: limitSpec('MAX_WORKFLOW_STEPS'),
  MAX_WORKFLOW_BYTES: limitSpec('MAX_WORKFLOW_BYTES'),
  MAX_INPUT_BYTES: limitSpec('MAX_INPUT_BYTES'),
  MAX_FAN_OUT_ITEMS: limitSpec('MAX_FAN_OUT_ITEMS'),
  MAX_PROMPT_BYTES: limitSpec('MAX_PROMPT_BYTES'),
  MAX_STEP_OUTPUT_BYTES: limitSpec('MAX_STEP_OUTPUT_BYTES'),
  MAX_EVENT_OUTPUT_BYTES: limitSpec('MAX_EVENT_OUTPUT_BYTES'),
  MAX_RUNTIME_EVENT_BYTES: limitSpec('MAX_RUNTIME_EVENT_BYTES'),
  MAX_RUNTIME_STREAM_BYTES: limitSpec('MAX_RUNTIME_STREAM_BYTES'),
  MAX_RUNTIME_ERROR_BODY_BYTES: limitSpec('MAX_RUNTIME_ERROR_BODY_BYTES'),
  MAX_RUNTIME_FILE_BYTES: limitSpec('MAX_RUNTIME_FILE_BYTES'),
};

/** The typed limits a service reads (`loadConfig({...LIMITS_ENV})`) and passes to the libraries. */
export type Limits = ConfigOf<typeof LIMITS_ENV>;

/** The limits with every variable unset: what tests, the CLI and pure-library callers use. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(loadConfig(LIMITS_ENV, {}));

/** Picks the limits out of a service's whole config. */
export function limitsOf(config: Limits): Limits {
  const out = {} as Record<string, number>;
  for (const name of Object.keys(LIMITS_ENV)) out[name] = config[name as LimitName];
  return out as Limits;
}
