import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_ENVELOPE_SCHEMA } from './api-docs.decorator';

export const API_KEY_SCHEME = 'api_key';
export const BEARER_SCHEME = 'bearer';

type Operation = OpenAPIObject['paths'][string]['get'];

/** The observability endpoints (libs/observability) are public and described here, not by decorators. */
const OBSERVABILITY: Record<string, { summary: string; example: unknown; contentType: string }> = {
  '/health': {
    summary: 'Health of the gateway and its dependencies (always 200 unless the gateway is broken)',
    example: { data: { status: 'ok', database: true, nats: true, sandstorm: true }, error: null },
    contentType: 'application/json',
  },
  '/health/live': {
    summary: 'Liveness: the process answers',
    example: { data: { status: 'ok' }, error: null },
    contentType: 'application/json',
  },
  '/health/ready': {
    summary: 'Readiness: 503 while a critical dependency is down',
    example: { data: { status: 'ok', database: true, nats: true }, error: null },
    contentType: 'application/json',
  },
  '/metrics': {
    summary: 'Prometheus metrics',
    example:
      '# HELP sandcastle_gateway_http_requests_total HTTP requests\n# TYPE sandcastle_gateway_http_requests_total counter\n',
    contentType: 'text/plain',
  },
};

function describeObservability(document: OpenAPIObject): void {
  for (const [path, info] of Object.entries(OBSERVABILITY)) {
    const operation: Operation = document.paths[path]?.get;
    if (!operation) continue;
    operation.summary = info.summary;
    operation.tags = ['operations'];
    // Public: probes and scrapers carry no key.
    operation.security = [];
    operation.responses = {
      '200': {
        description: 'success',
        content: {
          [info.contentType]: {
            schema: { type: info.contentType === 'text/plain' ? 'string' : 'object' },
            example: info.example,
          },
        },
      },
      ...(path === '/health/ready'
        ? {
            '503': {
              description: 'a critical dependency is down',
              content: {
                'application/json': {
                  schema: { type: 'object' },
                  example: { data: { status: 'degraded', database: false, nats: true }, error: null },
                },
              },
            },
          }
        : {}),
    };
  }
}

/**
 * The OpenAPI document of the gateway, built from its controllers and DTOs. Every API route
 * accepts a key as X-API-Key or as a Bearer token (either one); the error envelope is a shared
 * component.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Sandcastle API')
    .setDescription(
      'Workflow orchestrator for AI agents. Every answer is an envelope `{data, error, meta?}`. ' +
        'With AUTH_REQUIRED=true every route except /health*, /metrics and /docs* needs an API key ' +
        '(X-API-Key or Authorization: Bearer; never in the URL). Errors: `{data: null, error: {code, message, details?}}`.',
    )
    .setVersion('1')
    // Relative: the paths are served by whichever gateway serves this document.
    .addServer('/', 'the gateway serving this document')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'an API key (sc_…)' },
      API_KEY_SCHEME,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'an API key (sc_…) as a Bearer token' },
      BEARER_SCHEME,
    )
    .addSecurityRequirements(API_KEY_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ErrorEnvelope: ERROR_ENVELOPE_SCHEMA },
  };
  describeObservability(document);
  return document;
}

/** `GET /docs` (Swagger UI) and `GET /docs-json` (the document), built once on first request. */
export function configureOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup('docs', app, () => (document ??= buildOpenApiDocument(app)), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Sandcastle API',
  });
}
