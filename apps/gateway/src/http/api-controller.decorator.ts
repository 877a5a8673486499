import { applyDecorators, Controller, UseInterceptors } from '@nestjs/common';
import { EnvelopeInterceptor } from './envelope.interceptor';

/**
 * A REST controller of the public API: its results are sent in the response envelope. (The
 * observability endpoints are not API controllers: `/health` builds its own envelope and
 * `/metrics` is Prometheus text.)
 */
export function ApiController(path?: string): ClassDecorator {
  return applyDecorators(Controller(path ?? ''), UseInterceptors(EnvelopeInterceptor));
}
