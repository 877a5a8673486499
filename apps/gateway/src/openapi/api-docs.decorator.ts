import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiResponse } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from '@sandcastle/contracts';

/** The `meta` of a list answer. */
const LIST_META_SCHEMA = {
  type: 'object',
  required: ['total', 'limit', 'offset'],
  properties: {
    total: { type: 'integer', example: 1 },
    limit: { type: 'integer', example: 50 },
    offset: { type: 'integer', example: 0 },
  },
  additionalProperties: { type: 'integer' },
};

/** `{data: null, error: {code, message, details?}}`: every error answer of the API. */
export const ERROR_ENVELOPE_SCHEMA = {
  type: 'object',
  required: ['data', 'error'],
  properties: {
    data: { type: 'object', nullable: true, example: null },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES) },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

const ERROR_MESSAGES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'invalid request: limit',
  UNAUTHORIZED: 'an API key is required: send it as X-API-Key or Authorization: Bearer',
  FORBIDDEN: "a tenant key can only manage its own tenant's keys",
  RATE_LIMITED: 'rate limit of 600 requests per minute per tenant reached; retry in 1 s',
  CONCURRENCY_LIMITED: 'at most 50 open event streams at once (MAX_STREAMS_PER_TENANT); retry in 5 s',
  SERVICE_UNAVAILABLE: 'a service the gateway depends on is unavailable; try again shortly',
};

export interface AnswerOptions {
  /** A list: `data` is an array and `meta` carries the page. */
  list?: boolean;
  description?: string;
}

/** A successful answer in the envelope, with an example of `data`. */
export function ApiAnswer(status: number, example: unknown, options: AnswerOptions = {}): MethodDecorator {
  const data = options.list ? { type: 'array', items: { type: 'object' } } : { type: 'object' };
  const envelope: Record<string, unknown> = { data: options.list ? [example] : example, error: null };
  if (options.list) envelope['meta'] = { total: 1, limit: 50, offset: 0 };
  return ApiResponse({
    status,
    description: options.description ?? 'success',
    schema: {
      type: 'object',
      required: ['data', 'error'],
      properties: {
        data,
        error: { type: 'object', nullable: true, example: null },
        ...(options.list ? { meta: LIST_META_SCHEMA } : {}),
      },
      example: envelope,
    },
  });
}

/**
 * The error answers of a route, grouped by HTTP status, each with an example. Every API route
 * can answer 401 (no or bad key), 429 (rate limit) and 503 (a dependency is down); pass the
 * codes specific to the route.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator {
  const all: ErrorCode[] = [
    ...new Set<ErrorCode>([...codes, 'UNAUTHORIZED', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE']),
  ];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of all) byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: group.join(', '),
        schema: {
          ...ERROR_ENVELOPE_SCHEMA,
          example: {
            data: null,
            error: {
              code: group[0],
              message: ERROR_MESSAGES[group[0] as ErrorCode] ?? `${group[0]?.toLowerCase()}`,
            },
          },
        },
      }),
    ),
  );
}

/** The `{id}` path parameter: a UUID. */
export function ApiIdParam(what: string, example = '3f6c1c8e-2a7b-4d3e-9a51-0c8f4b7e2d10'): MethodDecorator {
  return ApiParam({
    name: 'id',
    description: `the ${what}'s id`,
    schema: { type: 'string', format: 'uuid' },
    example,
  });
}
