import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { natsNames } from '@sandcastle/contracts';
import { createMetricsRegistry, startService } from '@sandcastle/observability';
import { captureLogger } from '../../../../libs/observability/src/testing/capture-logger';
import { createTestDatabase, type TestDatabase } from '../../../../libs/persistence/src/testing';
import { AppModule } from '../app.module';
import { loadGatewayConfig } from '../config/gateway.config';
import { configureHttp } from '../http/configure-http';
import { registeredRoutes } from './registered-routes.util';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

interface Operation {
  responses?: Record<
    string,
    { content?: Record<string, { example?: unknown; schema?: { example?: unknown } }> }
  >;
  parameters?: { name: string; in: string; example?: unknown; schema?: { example?: unknown } }[];
  requestBody?: unknown;
  security?: unknown[];
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }>;
  };
  security?: Record<string, string[]>[];
}

/** Whether a response carries an example, on its media type or on its schema. */
function hasExample(operation: Operation): boolean {
  return Object.values(operation.responses ?? {}).some((response) =>
    Object.values(response.content ?? {}).some(
      (media) => media.example !== undefined || media.schema?.example !== undefined,
    ),
  );
}

describe('OpenAPI document (real PostgreSQL and NATS)', () => {
  const names = natsNames(`gwdoc${randomBytes(4).toString('hex')}`);
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let document: Document;

  beforeAll(async () => {
    jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`process.exit(${String(code)})`);
    });
    db = await createTestDatabase();
    const config = loadGatewayConfig({
      DATABASE_URL: db.url,
      NATS_URL,
      NATS_NAMESPACE: names.namespace,
      WORKFLOWS_DIR: '/nonexistent-sandcastle-workflows',
      PORT: '0',
      DB_POOL_SIZE: '2',
      AUTH_REQUIRED: 'true',
      API_KEY_SECRET: randomBytes(32).toString('hex'),
    });
    const { logger } = captureLogger('gateway', 'warn');
    app = await startService({
      module: AppModule.forRoot(config, logger, createMetricsRegistry('gateway')),
      service: 'gateway',
      port: 0,
      host: '127.0.0.1',
      logger,
      configure: (a) => configureHttp(a, config),
    });
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    const response = await fetch(`${base}/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });

  afterAll(async () => {
    await app?.close();
    const nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    for (const stream of Object.values(names.streams))
      await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await db?.drop();
    jest.restoreAllMocks();
  });

  it('describes every route the gateway serves, each with a response and an example', () => {
    const served = registeredRoutes(app.getHttpAdapter().getInstance()).filter(
      (route) => !route.path.startsWith('/docs'),
    );
    expect(served.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const route of served) {
      const operation = document.paths[route.path]?.[route.method];
      if (!operation) missing.push(`${route.method.toUpperCase()} ${route.path}: not documented`);
      else if (Object.keys(operation.responses ?? {}).length === 0)
        missing.push(`${route.method.toUpperCase()} ${route.path}: no response`);
      else if (!hasExample(operation))
        missing.push(`${route.method.toUpperCase()} ${route.path}: no example`);
    }
    expect(missing).toEqual([]);
    expect(served.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'post /api-keys',
        'get /runs/{id}/stream',
        'post /dead-letter/{id}/retry',
        'get /health',
      ]),
    );
  });

  it('declares the X-API-Key and Bearer schemes, required on API routes and not on probes', () => {
    expect(document.components.securitySchemes['api_key']).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    );
    expect(document.components.securitySchemes['bearer']).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(document.security).toEqual([{ api_key: [] }, { bearer: [] }]);
    expect(document.paths['/health']?.['get']?.security).toEqual([]);
    expect(document.paths['/metrics']?.['get']?.security).toEqual([]);
  });

  it('documents bodies, query strings, path parameters and the error envelope', () => {
    const run = document.paths['/workflows/run']?.['post'];
    expect(run?.requestBody).toBeDefined();
    expect(run?.responses?.['202']).toBeDefined();
    expect(run?.responses?.['401']).toBeDefined();
    expect(run?.responses?.['429']).toBeDefined();
    const list = document.paths['/runs']?.['get'];
    expect(list?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['query:status', 'query:limit', 'query:offset', 'query:since']),
    );
    const get = document.paths['/runs/{id}']?.['get'];
    expect(get?.parameters?.find((p) => p.in === 'path' && p.name === 'id')).toBeDefined();
    const notFound = get?.responses?.['404']?.content?.['application/json']?.schema?.example;
    expect(notFound).toEqual({ data: null, error: { code: 'RUN_NOT_FOUND', message: expect.any(String) } });
  });

  it('serves the Swagger UI without a key', async () => {
    const ui = await fetch(`${base}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
  });
});
