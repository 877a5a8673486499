import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { ApiException } from './api.exception';
import { errorResponseOf } from './error-response.util';

describe('errorResponseOf', () => {
  it('sends an ApiException with the status of its code and its details', () => {
    const details = [{ field: 'steps[1].depends_on', message: "unknown step 'scrap'" }];
    expect(errorResponseOf(new ApiException('INVALID_WORKFLOW', 'bad', details))).toEqual({
      status: 400,
      body: { data: null, error: { code: 'INVALID_WORKFLOW', message: 'bad', details } },
      unexpected: false,
    });
    expect(errorResponseOf(new ApiException('RUN_NOT_FOUND', 'gone')).status).toBe(404);
    expect(errorResponseOf(new ApiException('IDEMPOTENCY_CONFLICT', 'x')).status).toBe(409);
  });

  it('maps an unknown route to 404 NOT_FOUND', () => {
    const response = errorResponseOf(new NotFoundException('Cannot GET /nope'));
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({ code: 'NOT_FOUND', message: 'Cannot GET /nope' });
  });

  it('maps a malformed JSON body to 400 VALIDATION_ERROR', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    const response = errorResponseOf(new BadRequestException('Unexpected token', { cause: parseError }));
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'the request body is not valid JSON',
    });
  });

  it('maps a body over the limit to 413 PAYLOAD_TOO_LARGE, naming the limit', () => {
    const response = errorResponseOf(new PayloadTooLargeException(), '1mb');
    expect(response.status).toBe(413);
    expect(response.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(response.body.error?.message).toContain('1mb');
  });

  it('maps other client errors to 400 VALIDATION_ERROR', () => {
    const response = errorResponseOf(new HttpException('unsupported charset "latin-9"', 415));
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('VALIDATION_ERROR');
  });

  it('hides everything else behind 500 INTERNAL and flags it for logging', () => {
    const response = errorResponseOf(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(response).toEqual({
      status: 500,
      body: { data: null, error: { code: 'INTERNAL', message: 'internal error' } },
      unexpected: true,
    });
    expect(errorResponseOf(new HttpException('db password is hunter2', 500)).body.error?.message).toBe(
      'internal error',
    );
  });

  it('reports an unreachable dependency as 503 SERVICE_UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(errorResponseOf(refused).status).toBe(503);
    expect(errorResponseOf({ driverError: { code: '57P03' } }).body.error?.code).toBe('SERVICE_UNAVAILABLE');
  });
});
