import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiException } from './api.exception';
import { errorResponseOf } from './error-response.util';

/**
 * The single place errors become responses (registered as APP_FILTER, so it also sees unknown
 * routes and body-parser failures). Unexpected errors are logged with their stack; the client
 * only gets the code.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const { status, body, unexpected } = errorResponseOf(exception, this.config.BODY_LIMIT);
    if (unexpected) {
      this.logger.error('request failed', { method: req.method, path: req.path, status, err: exception });
    }
    if (res.headersSent) {
      // Too late for an envelope; end the response so the client is not left hanging.
      res.end();
      return;
    }
    if (exception instanceof ApiException && exception.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    res.status(status).json(body);
  }
}
