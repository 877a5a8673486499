import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from './logger';
import { OtlpExporter } from './otlp-exporter';

interface Received {
  path: string;
  contentType: string | undefined;
  body: {
    resourceSpans: {
      resource: { attributes: { key: string; value: { stringValue?: string } }[] };
      scopeSpans: { spans: Record<string, unknown>[] }[];
    }[];
  };
}

/** A real HTTP server standing in for an OpenTelemetry collector. */
async function collector(
  status = 200,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const span = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  parentSpanId: '1111111111111111',
  name: 'sc.step.dispatch process',
  kind: 5 as const,
  startTimeMs: 1_700_000_000_000,
  endTimeMs: 1_700_000_000_250,
  attributes: { 'messaging.system': 'nats', 'messaging.delivery_count': 1 },
};

describe('OtlpExporter', () => {
  it('posts spans as OTLP/HTTP JSON to <endpoint>/v1/traces', async () => {
    const server = await collector();
    const lines: string[] = [];
    const exporter = new OtlpExporter({
      endpoint: `${server.url}/`,
      service: 'executor',
      logger: createLogger('test', 'debug', (l) => lines.push(l)),
      intervalMs: 60_000,
    });
    try {
      exporter.export(span);
      exporter.export({ ...span, spanId: '2222222222222222', parentSpanId: undefined, error: true });
      await exporter.shutdown();
      expect(server.received).toHaveLength(1);
      const [request] = server.received;
      expect(request!.path).toBe('/v1/traces');
      expect(request!.contentType).toBe('application/json');
      const resource = request!.body.resourceSpans[0]!;
      expect(resource.resource.attributes).toEqual([
        { key: 'service.name', value: { stringValue: 'sandcastle-executor' } },
      ]);
      const [first, second] = resource.scopeSpans[0]!.spans;
      expect(first).toEqual({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
        name: span.name,
        kind: 5,
        startTimeUnixNano: '1700000000000000000',
        endTimeUnixNano: '1700000000250000000',
        attributes: [
          { key: 'messaging.system', value: { stringValue: 'nats' } },
          { key: 'messaging.delivery_count', value: { intValue: '1' } },
        ],
        status: { code: 1 },
      });
      expect(second).not.toHaveProperty('parentSpanId');
      expect(second).toMatchObject({ status: { code: 2 } });
      expect(exporter.droppedSpans).toBe(0);
      expect(lines).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('drops spans and warns once when the collector refuses them, and bounds its queue', async () => {
    const server = await collector(503);
    const lines: string[] = [];
    const exporter = new OtlpExporter({
      endpoint: server.url,
      service: 'gateway',
      logger: createLogger('test', 'debug', (l) => lines.push(l)),
      intervalMs: 60_000,
      maxQueue: 3,
    });
    try {
      for (let i = 0; i < 5; i++) exporter.export(span);
      await exporter.flush();
      exporter.export(span);
      await exporter.shutdown();
      // 2 over the queue bound, then 3 + 1 refused by the collector.
      expect(exporter.droppedSpans).toBe(6);
      expect(server.received).toHaveLength(2);
      expect(lines.filter((l) => l.includes('OTLP export failed'))).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('survives a collector that does not exist', async () => {
    const exporter = new OtlpExporter({
      endpoint: 'http://127.0.0.1:9',
      service: 'gateway',
      logger: createLogger('test', 'error', () => undefined),
      intervalMs: 60_000,
    });
    exporter.export(span);
    await exporter.shutdown();
    expect(exporter.droppedSpans).toBe(1);
  });
});
