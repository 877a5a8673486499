import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator.service';
import { authMiddleware } from '../auth/auth.middleware';
import { KeyUsageRecorder } from '../auth/key-usage.recorder';
import type { GatewayConfig } from '../config/gateway.config';
import { configureOpenApi } from '../openapi/openapi.document';
import { serveDashboard } from './dashboard.static';
import { HttpMetrics } from './http.metrics';
import { requestObserver } from './request-observer.middleware';
import { securityHeaders } from './security-headers.middleware';
import { traceContext } from './trace-context.middleware';

/**
 * Express-level setup that must run before Nest registers its routes and its default body
 * parser: these middlewares run ahead of everything, including the parser, so headers,
 * metrics and the size limit also apply to requests that never reach a route.
 */
export function configureHttp(app: INestApplication, config: GatewayConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Which X-Forwarded-For hops to believe for the client address (per-address limits).
  express.set('trust proxy', config.TRUST_PROXY);
  express.use(securityHeaders);
  const logger = app.get<Logger>(LOGGER);
  express.use(requestObserver(app.get(HttpMetrics), logger.child({ component: 'http' })));
  if (config.DASHBOARD_ORIGIN) {
    express.enableCors({
      origin: config.DASHBOARD_ORIGIN,
      allowedHeaders: [
        'Content-Type',
        'Authorization',
        'X-API-Key',
        'Idempotency-Key',
        'Last-Event-ID',
        'traceparent',
      ],
      exposedHeaders: ['Retry-After', 'traceparent'],
      maxAge: 600,
    });
  }
  // Before authentication: the dashboard's files are public; its API calls carry the user's key.
  serveDashboard(express);
  // After CORS (refusals carry its headers), before the body parser (no body is read for a refused request).
  express.use(
    authMiddleware({
      config,
      authenticator: app.get(ApiKeyAuthenticator),
      usage: app.get(KeyUsageRecorder),
      logger: logger.child({ component: 'auth' }),
    }),
  );
  if (!config.AUTH_REQUIRED) {
    logger.warn(
      'AUTH_REQUIRED is false: every request is served as tenant "default" without a key; keep this gateway on a private network',
    );
  }
  // Registered before Nest's own JSON parser, which then sees ours and adds none.
  express.useBodyParser('json', { limit: config.BODY_LIMIT });
  // After the body parser (see the middleware): every route runs in its request's trace.
  express.use(traceContext());
  configureOpenApi(app);
}
