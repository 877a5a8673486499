import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { LOGGER, type Logger } from '@sandcastle/observability';
import type { GatewayConfig } from '../config/gateway.config';
import { HttpMetrics } from './http.metrics';
import { requestObserver } from './request-observer.middleware';
import { securityHeaders } from './security-headers.middleware';

/**
 * Express-level setup that must run before Nest registers its routes and its default body
 * parser: these middlewares run ahead of everything, including the parser, so headers,
 * metrics and the size limit also apply to requests that never reach a route.
 */
export function configureHttp(app: INestApplication, config: GatewayConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.use(securityHeaders);
  express.use(requestObserver(app.get(HttpMetrics), app.get<Logger>(LOGGER).child({ component: 'http' })));
  if (config.DASHBOARD_ORIGIN) {
    express.enableCors({
      origin: config.DASHBOARD_ORIGIN,
      allowedHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'Idempotency-Key', 'Last-Event-ID'],
      exposedHeaders: ['Retry-After'],
      maxAge: 600,
    });
  }
  // Registered before Nest's own JSON parser, which then sees ours and adds none.
  express.useBodyParser('json', { limit: config.BODY_LIMIT });
}
