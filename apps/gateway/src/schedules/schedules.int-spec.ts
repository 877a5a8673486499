import { randomUUID } from 'node:crypto';
import type { DeliveryView, RunSummaryView, ScheduleView } from '@sandcastle/contracts';
import { RunEntity } from '@sandcastle/persistence';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';

const YAML = 'name: Nightly Digest\nsteps:\n  - id: only\n    prompt: hi\n';

describe('schedule and delivery routes (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ namespacePrefix: 'sch', env: { LOG_LEVEL: 'warn' } });
    const saved = await gw.api('POST', '/workflows', { name: 'digest', content: YAML });
    expect(saved.status).toBe(201);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  const count = async () =>
    Number((await gw.db.dataSource.query('SELECT count(*) AS n FROM schedules'))[0].n);

  it('creates a schedule with its description and first due time in its time zone', async () => {
    const before = Date.now();
    const created = await gw.api<ScheduleView>('POST', '/schedules', {
      workflow_name: 'digest',
      cron_expression: '0  9 * * *',
      timezone: 'America/New_York',
      input_data: { topic: 'ai' },
      max_cost_usd: 2,
      callback_url: 'https://hooks.example.com/done',
      notify: { slack: 'https://hooks.slack.com/services/T0/B0/xyz' },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      workflow_name: 'digest',
      cron_expression: '0 9 * * *',
      timezone: 'America/New_York',
      description: 'At 09:00',
      input_data: { topic: 'ai' },
      enabled: true,
      overlap: 'allow',
      max_cost_usd: 2,
      callback_url: 'https://hooks.example.com/done',
      notify: { slack: 'https://hooks.slack.com/services/T0/B0/xyz' },
      last_run_at: null,
      last_run_id: null,
      disabled_reason: null,
    });
    const next = new Date(created.data.next_run_at!);
    expect(next.getTime()).toBeGreaterThan(before);
    expect(next.getTime() - before).toBeLessThanOrEqual(25 * 3600_000);
    expect(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: 'numeric',
        hour12: false,
      }).format(next),
    ).toBe('09');
    const got = await gw.api<ScheduleView>('GET', `/schedules/${created.data.id}`);
    expect(got.data).toEqual(created.data);
  });

  it('refuses a bad cron (INVALID_CRON), a bad time zone, an unsafe URL and an unknown workflow, storing nothing', async () => {
    const before = await count();
    const badCron = await gw.api('POST', '/schedules', {
      workflow_name: 'digest',
      cron_expression: '61 * * * *',
    });
    expect(badCron.status).toBe(400);
    expect(badCron.error).toMatchObject({ code: 'INVALID_CRON', details: [{ field: 'cron_expression' }] });
    const fields = await gw.api('POST', '/schedules', { workflow_name: 'digest', cron_expression: '* * *' });
    expect(fields.error?.code).toBe('INVALID_CRON');
    const badZone = await gw.api('POST', '/schedules', {
      workflow_name: 'digest',
      cron_expression: '* * * * *',
      timezone: 'Mars/Olympus',
    });
    expect(badZone.status).toBe(400);
    expect(badZone.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'timezone' }] });
    for (const url of ['http://127.0.0.1:8080/x', 'http://169.254.169.254/latest', 'http://localhost/x']) {
      const unsafe = await gw.api('POST', '/schedules', {
        workflow_name: 'digest',
        cron_expression: '* * * * *',
        callback_url: url,
      });
      expect(unsafe.status).toBe(400);
      expect(unsafe.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'callback_url' }] });
    }
    const slack = await gw.api('POST', '/schedules', {
      workflow_name: 'digest',
      cron_expression: '* * * * *',
      notify: { slack: 'http://10.0.0.5/hook' },
    });
    expect(slack.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'notify.slack' }] });
    const missing = await gw.api('POST', '/schedules', {
      workflow_name: 'nope',
      cron_expression: '* * * * *',
    });
    expect(missing.status).toBe(404);
    expect(missing.error?.code).toBe('WORKFLOW_NOT_FOUND');
    const unknownField = await gw.api('POST', '/schedules', { workflow_name: 'digest', cron: '* * * * *' });
    expect(unknownField.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('patches only what is given; disabling clears next_run_at, enabling sets it from now', async () => {
    const created = await gw.api<ScheduleView>('POST', '/schedules', {
      workflow_name: 'digest',
      cron_expression: '*/2 * * * * *',
    });
    expect(created.data.description).toBe('Every 2 seconds');
    const disabled = await gw.api<ScheduleView>('PATCH', `/schedules/${created.data.id}`, { enabled: false });
    expect(disabled.data).toMatchObject({
      enabled: false,
      next_run_at: null,
      cron_expression: '*/2 * * * * *',
    });
    const edited = await gw.api<ScheduleView>('PATCH', `/schedules/${created.data.id}`, {
      enabled: true,
      cron_expression: '0 */6 * * *',
      overlap: 'skip',
      callback_url: null,
    });
    expect(edited.data).toMatchObject({
      enabled: true,
      overlap: 'skip',
      description: 'On the hour, every 6 hours',
    });
    expect(new Date(edited.data.next_run_at!).getUTCMinutes()).toBe(0);
    const bad = await gw.api('PATCH', `/schedules/${created.data.id}`, { cron_expression: 'nope' });
    expect(bad.error?.code).toBe('INVALID_CRON');
    expect((await gw.api<ScheduleView>('GET', `/schedules/${created.data.id}`)).data.cron_expression).toBe(
      '0 */6 * * *',
    );
  });

  it('lists with paging, hides other tenants, deletes', async () => {
    const list = await gw.api<ScheduleView[]>('GET', '/schedules?limit=1');
    expect(list.data).toHaveLength(1);
    expect(list.meta).toMatchObject({ limit: 1, offset: 0 });
    expect(list.meta?.['total']).toBeGreaterThanOrEqual(2);
    const id = list.data[0]!.id;
    await gw.db.dataSource.query(`UPDATE schedules SET tenant_id = 'other' WHERE id = $1`, [id]);
    expect((await gw.api('GET', `/schedules/${id}`)).error?.code).toBe('SCHEDULE_NOT_FOUND');
    expect((await gw.api('DELETE', `/schedules/${id}`)).status).toBe(404);
    await gw.db.dataSource.query(`UPDATE schedules SET tenant_id = 'default' WHERE id = $1`, [id]);
    expect((await gw.api('DELETE', `/schedules/${id}`)).data).toEqual({ deleted: true, id });
    expect((await gw.api('GET', `/schedules/${id}`)).status).toBe(404);
    expect((await gw.api('GET', '/schedules/not-a-uuid')).error?.code).toBe('INVALID_ID');
  });

  it('filters runs by schedule_id and shows the schedule fields of a run', async () => {
    const scheduleId = randomUUID();
    const runId = randomUUID();
    await gw.db.dataSource.getRepository(RunEntity).insert({
      id: runId,
      tenantId: 'default',
      workflowName: 'digest',
      definition: { title: 'x', steps: [] },
      rootRunId: runId,
      scheduleId,
      scheduledFor: new Date('2026-01-01T00:00:06Z'),
      catchUp: true,
      missedFires: 3,
    });
    const runs = await gw.api<RunSummaryView[]>('GET', `/runs?schedule_id=${scheduleId}`);
    expect(runs.data.map((r) => r.run_id)).toEqual([runId]);
    expect(runs.data[0]?.schedule_id).toBe(scheduleId);
    const run = await gw.api<{ scheduled_for: string; catch_up: boolean }>('GET', `/runs/${runId}`);
    expect(run.data).toMatchObject({ scheduled_for: '2026-01-01T00:00:06.000Z', catch_up: true });
    const deliveries = await gw.api<DeliveryView[]>('GET', `/runs/${runId}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.data).toEqual([]);
  });

  it("lists a run's deliveries with their attempts and queues one again on redeliver", async () => {
    const runId = randomUUID();
    const deliveryId = randomUUID();
    await gw.db.dataSource.getRepository(RunEntity).insert({
      id: runId,
      tenantId: 'default',
      workflowName: 'digest',
      definition: { title: 'x', steps: [] },
      rootRunId: runId,
    });
    await gw.db.dataSource.query(
      `INSERT INTO webhook_deliveries (id, tenant_id, run_id, target, format, url, event, payload, status, attempts,
         give_up_at, created_at, last_status_code, last_error)
       VALUES ($1, 'default', $2, 'run_callback', 'webhook', 'https://hooks.example.com/x', 'workflow.completed', '{}',
         'failed', 1, now() - interval '1 minute', now() - interval '61 minutes', 500, 'HTTP 500')`,
      [deliveryId, runId],
    );
    await gw.db.dataSource.query(
      `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, latency_ms, error)
       VALUES ($1, 1, now(), 500, 12, 'HTTP 500')`,
      [deliveryId],
    );
    const list = await gw.api<DeliveryView[]>('GET', `/runs/${runId}/deliveries`);
    expect(list.data).toEqual([
      expect.objectContaining({
        id: deliveryId,
        status: 'failed',
        attempts: 1,
        attempt_log: [
          expect.objectContaining({ attempt: 1, status_code: 500, latency_ms: 12, error: 'HTTP 500' }),
        ],
      }),
    ]);
    const again = await gw.api<DeliveryView>('POST', `/deliveries/${deliveryId}/redeliver`);
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ id: deliveryId, status: 'pending' });
    const windowMs = Date.parse(again.data.give_up_at) - Date.now();
    expect(windowMs).toBeGreaterThan(55 * 60_000);
    expect((await gw.api('POST', `/deliveries/${randomUUID()}/redeliver`)).status).toBe(404);
  });
});
