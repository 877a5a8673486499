import { randomBytes } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';
import { registeredRoutes } from './registered-routes.util';

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
    schemas?: Record<string, { properties: Record<string, { type?: string; nullable?: boolean }> }>;
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
  let gw: TestGateway;
  let document: Document;

  beforeAll(async () => {
    gw = await startTestGateway({
      namespacePrefix: 'gwdoc',
      env: { DB_POOL_SIZE: '2', AUTH_REQUIRED: 'true', API_KEY_SECRET: randomBytes(32).toString('hex') },
    });
    const response = await fetch(`${gw.url}/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('names the storage shapes, every nullable property with its type', () => {
    const schemas = document.components.schemas ?? {};
    expect(Object.keys(schemas['OutputRef']?.properties ?? {}).sort()).toEqual(
      ['content_type', 'name', 'preview', 'size', 'url'].sort(),
    );
    expect(schemas['Artifact']?.properties['step_id']).toMatchObject({ type: 'string', nullable: true });
    expect(schemas['Artifact']?.properties['parallel_index']).toMatchObject({
      type: 'number',
      nullable: true,
    });
  });

  it('describes every route the gateway serves, each with a response and an example', () => {
    const served = registeredRoutes(gw.app.getHttpAdapter().getInstance()).filter(
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
    const ui = await fetch(`${gw.url}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
  });
});
