import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScheduleView } from '@sandcastle/contracts';
import {
  alertExpressions,
  dashboardExpressions,
  exportedFamilies,
  metricNamesIn,
  PROMETHEUS_SERIES,
} from '../test/support/monitoring-expressions';
import { CATALOGUES } from '../test/deploy/support/catalogue.util';
import { E2eStack, yaml } from './support/e2e-stack';
import { waitFor } from './support/wait-for';

const APPS = ['gateway', 'orchestrator', 'executor', 'scheduler', 'notifier'] as const;

const WORKFLOW = yaml([
  'name: traced',
  'runtime: simulated',
  'steps:',
  '  - id: first',
  '    prompt: "first {input.n}"',
  '    simulation: { latency_ms: 20, cost_usd: 0.001 }',
  '  - id: second',
  '    depends_on: [first]',
  '    prompt: "second {input.n}"',
  '    simulation: { latency_ms: 20, cost_usd: 0.001 }',
]);

interface LogLine {
  service: string;
  msg: string;
  trace_id?: string | null;
  run_id?: string | null;
  step_id?: string | null;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** A real HTTP server: webhook receiver on /hook, OpenTelemetry collector on /v1/traces. */
function receiver(): { server: Server; hooks: string[]; spans: { service: string; span: OtlpSpan }[] } {
  const hooks: string[] = [];
  const spans: { service: string; span: OtlpSpan }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans: {
            resource: { attributes: { value: { stringValue: string } }[] };
            scopeSpans: { spans: OtlpSpan[] }[];
          }[];
        };
        for (const rs of parsed.resourceSpans)
          for (const ss of rs.scopeSpans)
            for (const span of ss.spans)
              spans.push({ service: rs.resource.attributes[0]!.value.stringValue, span });
      } else hooks.push(req.url ?? '/');
      res.writeHead(200).end('{}');
    });
  });
  return { server, hooks, spans };
}

/**
 * `promtool check metrics` problems, less the three that prom-client's default metrics always
 * have (gauges it names `nodejs_active_*_total`, which the library does not let us rename or
 * leave out). Any other problem, and any parse error, is returned.
 */
function promtoolMetricProblems(app: string, exposition: string): string[] {
  const known = new Set(
    ['handles', 'requests', 'resources'].map(
      (what) =>
        `sandcastle_${app}_nodejs_active_${what}_total non-counter metrics should not have "_total" suffix`,
    ),
  );
  try {
    execFileSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8', stdio: 'pipe' });
    return [];
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}\n${e.stderr ?? ''}`
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !known.has(line));
  }
}

describe('observability (five services as real processes)', () => {
  let sc: E2eStack;
  let base: string;
  const { server, hooks, spans } = receiver();

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sc = await E2eStack.start({
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_SECRET: 'e2e-observability-secret-0123456789abcdef',
        SCHEDULER_TICK_MS: 100,
        NOTIFIER_POLL_MS: 100,
        OTEL_EXPORTER_OTLP_ENDPOINT: base,
      },
    });
    const saved = await sc.api('POST', '/workflows', { name: 'traced', content: WORKFLOW });
    expect(saved.status).toBe(201);
  });

  afterAll(async () => {
    await sc?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const lines = (): LogLine[] =>
    sc.logs.flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });

  it('follows a request’s traceparent through the gateway, orchestrator, executor and notifier, logs and spans', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await sc.api<{ run_id: string }>(
      'POST',
      '/workflows/run',
      { workflow: 'traced', input: { n: 1 }, callback_url: `${base}/hook` },
      { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    );
    expect(answer.status).toBe(202);
    // The gateway continues the caller's trace and names its own span.
    expect(answer.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const runId = answer.body.data.run_id;
    const run = await sc.waitForRun(runId);
    expect(run.status).toBe('completed');
    await waitFor('the webhook', () => hooks.includes('/hook'));

    const [stored] = await sc.db.query<{ traceparent: string }[]>(
      'SELECT traceparent FROM runs WHERE id = $1',
      [runId],
    );
    expect(stored!.traceparent.split('-')[1]).toBe(traceId);

    await waitFor('the notifier’s delivery line', () =>
      lines().some((l) => l.service === 'notifier' && l.run_id === runId && l.msg === 'delivery attempt'),
    );
    const ofRun = lines().filter((l) => l.run_id === runId);
    // Every line about the run, in every service, is in the run's trace.
    expect(ofRun.filter((l) => l.trace_id !== traceId)).toEqual([]);
    const services = new Set(ofRun.map((l) => l.service));
    for (const app of ['gateway', 'orchestrator', 'executor', 'notifier'])
      expect([...services]).toContain(app);
    // The executor's lines also name the step.
    const executorSteps = new Set(ofRun.filter((l) => l.service === 'executor').map((l) => l.step_id));
    expect([...executorSteps].sort()).toEqual(expect.arrayContaining(['first', 'second']));

    // The same trace reaches the collector from each service (OTLP/HTTP JSON, flushed every 2 s).
    const exported = await waitFor(
      'spans of the four services',
      () => {
        const ofTrace = spans.filter((s) => s.span.traceId === traceId);
        const from = new Set(ofTrace.map((s) => s.service));
        return (
          ['gateway', 'orchestrator', 'executor', 'notifier'].every((a) => from.has(`sandcastle-${a}`)) &&
          ofTrace
        );
      },
      20_000,
    );
    // One tree: every span's parent is the caller's span or another span of the trace.
    const ids = new Set(exported.map((s) => s.span.spanId));
    for (const { span } of exported)
      expect({
        span: span.name,
        parentKnown: span.parentSpanId === '00f067aa0ba902b7' || ids.has(span.parentSpanId ?? ''),
      }).toEqual({
        span: span.name,
        parentKnown: true,
      });
  });

  it('starts a new trace for a request without a valid traceparent', async () => {
    for (const header of [undefined, 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']) {
      const answer = await sc.api('GET', '/health', undefined, header ? { traceparent: header } : {});
      const given = answer.headers.get('traceparent') ?? '';
      expect(given).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(given.split('-')[1]).not.toBe('00000000000000000000000000000000');
    }
  });

  it('starts a scheduled run’s trace at the firing and carries it through orchestrator, executor and notifier', async () => {
    const created = await sc.api<ScheduleView>('POST', '/schedules', {
      workflow_name: 'traced',
      cron_expression: '*/2 * * * * *',
      input_data: { n: 2 },
      callback_url: `${base}/scheduled`,
    });
    expect(created.status).toBe(201);
    const scheduleId = created.body.data.id;
    const [fired] = await waitFor('a scheduled run', async () => {
      const rows = await sc.db.query<{ id: string; traceparent: string }[]>(
        'SELECT id, traceparent FROM runs WHERE schedule_id = $1 ORDER BY scheduled_for LIMIT 1',
        [scheduleId],
      );
      return rows.length > 0 && rows;
    });
    await sc.api('PATCH', `/schedules/${scheduleId}`, { enabled: false });
    const runId = fired!.id;
    const traceId = fired!.traceparent.split('-')[1];
    expect(await sc.waitForRun(runId)).toMatchObject({ status: 'completed' });
    await waitFor('the scheduled run’s delivery', () =>
      lines().some((l) => l.service === 'notifier' && l.run_id === runId && l.msg === 'delivery attempt'),
    );
    const ofRun = lines().filter((l) => l.run_id === runId);
    expect(ofRun.filter((l) => l.trace_id !== traceId)).toEqual([]);
    const services = new Set(ofRun.map((l) => l.service));
    for (const app of ['scheduler', 'orchestrator', 'executor', 'notifier'])
      expect([...services]).toContain(app);
  });

  it('serves /metrics on every service that promtool accepts, exporting exactly the catalogued metrics', async () => {
    for (const app of APPS) {
      const res = await fetch(`${sc.stack.urlOf(app)}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      // promtool parses the exposition and lints it (names, suffixes, HELP, units).
      expect({ app, problems: promtoolMetricProblems(app, text) }).toEqual({ app, problems: [] });
      const catalogue = CATALOGUES.find((c) => c.service === app)!;
      const catalogued = [...catalogue.metrics, ...catalogue.processMetrics].map((m) => m.name).sort();
      expect({ app, families: [...exportedFamilies(text)].sort() }).toEqual({ app, families: catalogued });
    }
  });

  it('exports every metric the Grafana dashboards and the alert rules name', async () => {
    const live = new Set<string>();
    for (const app of APPS) {
      const text = await (await fetch(`${sc.stack.urlOf(app)}/metrics`)).text();
      for (const family of exportedFamilies(text)) live.add(family);
    }
    for (const { source, expr } of [...dashboardExpressions(), ...alertExpressions()])
      for (const name of metricNamesIn(expr))
        expect({ source, name, live: live.has(name) || PROMETHEUS_SERIES.has(name) }).toEqual({
          source,
          name,
          live: true,
        });
    // The consumer lag gauge is read from the broker: the executor's dispatch consumer is there.
    const executor = await (await fetch(`${sc.stack.urlOf('executor')}/metrics`)).text();
    expect(executor).toMatch(
      /^sandcastle_executor_consumer_pending_messages\{stream="[A-Z0-9]+_STEPS",consumer="executor",service="executor"\} \d+$/m,
    );
  });
});
