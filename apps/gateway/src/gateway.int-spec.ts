import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  RunAcceptedView,
  RunSummaryView,
  RunView,
  WorkflowSummaryView,
  WorkflowView,
} from '@sandcastle/contracts';
import { RunEntity, RunStepEntity, WorkflowEntity } from '@sandcastle/persistence';
import type { QueryDeepPartialEntity } from 'typeorm';
import { addCommandConsumer, commandFor, type ReceivedCommand } from './testing/command-reader';
import { startTestGateway, type TestGateway } from './testing/gateway-harness';
import { WorkflowsDirLoader } from './workflows/workflows-dir.loader';

const DASHBOARD_ORIGIN = 'http://dashboard.test:5173';
const DEFAULT_BUDGET = 7.5;

const FLOW_YAML = `name: File Flow
description: loaded from a file
steps:
  - id: fetch
    prompt: "Fetch {input.url}"
  - id: fan
    depends_on: [fetch]
    parallel_over: input.items
    prompt: "Look at {input._item}"
  - id: sum
    depends_on: [fan]
    model: haiku
    prompt: "Sum up {steps.fan.output}"
`;

const BROKEN_YAML = `name: Broken
steps:
  - id: a
    prompt: hi
  - id: b
    depends_on: [scrap]
    prompt: there
`;

/** A workflow whose YAML title is `title`, with one step. */
const simpleYaml = (title: string, prompt = 'Say hello'): string =>
  `name: ${title}\nsteps:\n  - id: only\n    prompt: "${prompt}"\n`;

describe('gateway (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;
  let workflowsDir: string;
  let sandstorm: Server;

  const runs = () => gw.db.dataSource.getRepository(RunEntity);

  async function insertRun(fields: QueryDeepPartialEntity<RunEntity>): Promise<string> {
    const id = randomUUID();
    await runs().insert({
      id,
      tenantId: 'default',
      workflowName: 'direct',
      definition: { steps: [] },
      rootRunId: id,
      ...fields,
    });
    return id;
  }

  /** Reads start commands from the namespace's COMMANDS stream until the one for `runId` shows up. */
  const startCommandFor = (runId: string): Promise<ReceivedCommand> =>
    commandFor(gw.nc, gw.names, 'gateway-test', runId);

  beforeAll(async () => {
    workflowsDir = await mkdtemp(join(tmpdir(), 'gateway-workflows-'));
    await writeFile(join(workflowsDir, 'file-flow.yaml'), FLOW_YAML);
    await writeFile(join(workflowsDir, 'broken.yml'), BROKEN_YAML);
    await writeFile(join(workflowsDir, 'notes.txt'), 'not a workflow');
    sandstorm = createServer((req, res) => {
      res.statusCode = req.url === '/health' ? 200 : 404;
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => sandstorm.listen(0, '127.0.0.1', resolve));

    gw = await startTestGateway({
      namespacePrefix: 'gw',
      logLevel: 'debug',
      env: {
        WORKFLOWS_DIR: workflowsDir,
        LOG_LEVEL: 'debug',
        DB_POOL_SIZE: '4',
        DEFAULT_MAX_COST_USD: String(DEFAULT_BUDGET),
        SANDSTORM_URL: `http://127.0.0.1:${(sandstorm.address() as AddressInfo).port}`,
        DASHBOARD_ORIGIN,
      },
    });
    await addCommandConsumer(gw.nc, gw.names, 'gateway-test', gw.names.subjects.runStart);
  });

  afterAll(async () => {
    await gw?.stop();
    await new Promise((resolve) => sandstorm?.close(resolve));
    if (workflowsDir) await rm(workflowsDir, { recursive: true, force: true });
  });

  describe('WORKFLOWS_DIR', () => {
    it('loads valid files at boot under their file name, and skips invalid ones with a warning', async () => {
      const flow = await gw.api('GET', '/workflows/file-flow');
      expect(flow.status).toBe(200);
      expect(flow.data).toMatchObject({
        name: 'file-flow',
        title: 'File Flow',
        version: 1,
        content: FLOW_YAML,
      });
      const stored = await gw.db.dataSource
        .getRepository(WorkflowEntity)
        .findOneByOrFail({ name: 'file-flow' });
      // Files are the deployment's workflows, shared by every tenant (see SHARED_WORKFLOWS_TENANT).
      expect(stored).toMatchObject({ tenantId: '_shared', source: 'file' });

      expect((await gw.api('GET', '/workflows/broken')).status).toBe(404);
      const warning = gw.lines.find((l) => l['msg'] === 'workflow file skipped: invalid workflow');
      expect(warning).toMatchObject({ level: 'warn', file: 'broken.yml' });
      expect(JSON.stringify(warning?.['problems'])).toContain('scrap');
      expect(gw.lines.find((l) => l['msg'] === 'workflows loaded from WORKFLOWS_DIR')).toMatchObject({
        loaded: ['file-flow@1'],
        skipped: ['broken.yml'],
      });
    });

    it('lets a tenant shadow a shared workflow with its own, and never delete the shared one', async () => {
      const own = FLOW_YAML.replace('File Flow', 'My File Flow');
      const saved = await gw.api('POST', '/workflows', { name: 'file-flow', content: own });
      expect(saved.status).toBe(201);
      expect(saved.data).toMatchObject({ name: 'file-flow', title: 'My File Flow', version: 1 });
      expect((await gw.api('GET', '/workflows/file-flow')).data).toMatchObject({ title: 'My File Flow' });
      const listed = (await gw.api<{ name: string; title: string }[]>('GET', '/workflows')).data;
      expect(listed.filter((w) => w.name === 'file-flow').map((w) => w.title)).toEqual(['My File Flow']);

      expect((await gw.api('DELETE', '/workflows/file-flow')).status).toBe(200);
      // The tenant's own copy is gone; the shared one is visible again and cannot be deleted.
      expect((await gw.api('GET', '/workflows/file-flow')).data).toMatchObject({ title: 'File Flow' });
      expect((await gw.api('DELETE', '/workflows/file-flow')).status).toBe(404);
      expect((await gw.api('GET', '/workflows/file-flow')).status).toBe(200);
    });

    it('lets several replicas load the same files at once: one new version per change', async () => {
      const loader = gw.app.get(WorkflowsDirLoader);
      const unchanged = await Promise.all([loader.load(), loader.load(), loader.load()]);
      for (const summary of unchanged)
        expect(summary).toEqual({ loaded: [], unchanged: ['file-flow'], skipped: ['broken.yml'] });

      await writeFile(
        join(workflowsDir, 'file-flow.yaml'),
        FLOW_YAML.replace('loaded from a file', 'edited'),
      );
      const changed = await Promise.all([loader.load(), loader.load(), loader.load(), loader.load()]);
      expect(changed.flatMap((s) => s.loaded)).toEqual(['file-flow@2']);
      const versions = await gw.db.dataSource.getRepository(WorkflowEntity).findBy({ name: 'file-flow' });
      expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
      expect((await gw.api<WorkflowView>('GET', '/workflows/file-flow')).data.description).toBe('edited');
    });
  });

  describe('workflows', () => {
    it('saves a new version per change, names it from the title, and returns the latest when unchanged', async () => {
      const first = await gw.api<WorkflowView>('POST', '/workflows', {
        content: simpleYaml('Lead Enrichment'),
      });
      expect(first.status).toBe(201);
      expect(first.data).toMatchObject({
        name: 'lead-enrichment',
        title: 'Lead Enrichment',
        version: 1,
        steps_count: 1,
        steps: [{ id: 'only', depends_on: [], model: 'sonnet' }],
      });

      const again = await gw.api<WorkflowView>('POST', '/workflows', {
        content: simpleYaml('Lead Enrichment'),
      });
      expect(again.status).toBe(200);
      expect(again.data.version).toBe(1);

      const second = await gw.api<WorkflowView>('POST', '/workflows', {
        content: simpleYaml('Lead Enrichment', 'Say bye'),
      });
      expect(second.status).toBe(201);
      expect(second.data.version).toBe(2);
      expect(second.data.content).toBe(simpleYaml('Lead Enrichment', 'Say bye'));
    });

    it('uses a given name and refuses names that are not identifiers', async () => {
      const saved = await gw.api<WorkflowView>('POST', '/workflows', {
        name: 'custom_name-1',
        content: simpleYaml('Whatever'),
      });
      expect(saved.status).toBe(201);
      expect(saved.data.name).toBe('custom_name-1');

      const bad = await gw.api('POST', '/workflows', { name: 'Bad Name', content: simpleYaml('Whatever') });
      expect(bad.status).toBe(400);
      expect(bad.error?.code).toBe('VALIDATION_ERROR');
      expect(bad.error?.details).toEqual([{ field: 'name', message: expect.stringContaining('lower-case') }]);
    });

    it('lists the latest version of each workflow with its step summary', async () => {
      const list = await gw.api<WorkflowSummaryView[]>('GET', '/workflows');
      expect(list.status).toBe(200);
      const byName = new Map(list.data.map((w) => [w.name, w]));
      expect(byName.get('lead-enrichment')?.version).toBe(2);
      expect(byName.get('file-flow')).toMatchObject({
        version: 2,
        steps_count: 3,
        steps: [
          { id: 'fetch', depends_on: [], model: 'sonnet' },
          { id: 'fan', depends_on: ['fetch'], model: 'sonnet', parallel_over: 'input.items' },
          { id: 'sum', depends_on: ['fan'], model: 'haiku' },
        ],
      });
      expect(byName.get('file-flow')).not.toHaveProperty('content');
      expect(byName.get('file-flow')?.steps[0]).not.toHaveProperty('parallel_over');
      expect(list.meta).toEqual({ total: list.data.length, limit: list.data.length, offset: 0 });
    });

    it('refuses invalid YAML with the problems per field, saving nothing', async () => {
      const response = await gw.api('POST', '/workflows', { content: BROKEN_YAML });
      expect(response.status).toBe(400);
      expect(response.data).toBeNull();
      expect(response.error?.code).toBe('INVALID_WORKFLOW');
      expect(response.error?.details).toEqual(
        expect.arrayContaining([
          { field: expect.stringContaining('depends_on'), message: expect.stringContaining('scrap') },
        ]),
      );
      const syntax = await gw.api('POST', '/workflows', { content: 'name: [unclosed' });
      expect(syntax.status).toBe(400);
      expect(syntax.error?.details?.[0]?.message).toMatch(/line 1/);
      expect(await gw.db.dataSource.getRepository(WorkflowEntity).countBy({ name: 'broken' })).toBe(0);
    });

    it('numbers concurrent saves of one workflow without gaps or duplicates', async () => {
      const saves = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          gw.api<WorkflowView>('POST', '/workflows', {
            name: 'raced',
            content: simpleYaml('Raced', `v${i}`),
          }),
        ),
      );
      expect(saves.map((s) => s.status)).toEqual([201, 201, 201, 201, 201]);
      expect(saves.map((s) => s.data.version).sort()).toEqual([1, 2, 3, 4, 5]);
    });

    it('deletes every version; runs keep their snapshot', async () => {
      await gw.api('POST', '/workflows', { name: 'doomed', content: simpleYaml('Doomed') });
      await gw.api('POST', '/workflows', { name: 'doomed', content: simpleYaml('Doomed', 'again') });
      const run = await gw.api<RunAcceptedView>('POST', '/workflows/run', { workflow: 'doomed' });
      expect(run.status).toBe(202);

      const deleted = await gw.api('DELETE', '/workflows/doomed');
      expect(deleted.status).toBe(200);
      expect(deleted.data).toEqual({ deleted: true, name: 'doomed' });
      expect(await gw.db.dataSource.getRepository(WorkflowEntity).countBy({ name: 'doomed' })).toBe(0);

      const missing = await gw.api('GET', '/workflows/doomed');
      expect(missing.status).toBe(404);
      expect(missing.error?.code).toBe('WORKFLOW_NOT_FOUND');
      expect((await gw.api('DELETE', '/workflows/doomed')).error?.code).toBe('WORKFLOW_NOT_FOUND');

      const kept = await gw.api('GET', `/runs/${run.data.run_id}`);
      expect(kept.data).toMatchObject({ workflow_name: 'doomed', workflow_version: 2 });
    });
  });

  describe('starting runs', () => {
    it('inserts the queued run, then publishes its start command', async () => {
      const input = { url: 'https://example.com', items: ['a', 'b'] };
      const response = await gw.api<RunAcceptedView>('POST', '/workflows/run', {
        workflow: 'file-flow',
        input,
      });
      expect(response.status).toBe(202);
      expect(response.data).toEqual({ run_id: expect.any(String), status: 'queued' });
      const runId = response.data.run_id;

      const row = await runs().findOneByOrFail({ id: runId });
      const latest = await gw.db.dataSource
        .getRepository(WorkflowEntity)
        .findOneOrFail({ where: { name: 'file-flow' }, order: { version: 'DESC' } });
      expect(row).toMatchObject({
        tenantId: 'default',
        workflowName: 'file-flow',
        workflowVersion: latest.version,
        definition: latest.definition,
        status: 'queued',
        kind: 'original',
        rootRunId: runId,
        parentRunId: null,
        inputData: input,
        maxCostUsd: DEFAULT_BUDGET,
      });

      expect(await startCommandFor(runId)).toEqual({
        subject: gw.names.subjects.runStart,
        msgId: `start:${runId}`,
        payload: { v: 1, tenantId: 'default', runId },
      });
    });

    it('runs inline YAML under the slug of its title, without a version', async () => {
      const response = await gw.api<RunAcceptedView>('POST', '/workflows/run', {
        workflow: simpleYaml('Inline Thing'),
        max_cost_usd: 2,
        callback_url: 'https://hooks.example.com/sandcastle',
      });
      expect(response.status).toBe(202);
      const row = await runs().findOneByOrFail({ id: response.data.run_id });
      expect(row).toMatchObject({
        workflowName: 'inline-thing',
        workflowVersion: null,
        inputData: {},
        maxCostUsd: 2,
        callbackUrl: 'https://hooks.example.com/sandcastle',
      });
      expect(row.definition).toMatchObject({ title: 'Inline Thing', steps: [{ id: 'only' }] });
    });

    it('accepts workflow_name, with or without the file extension', async () => {
      for (const workflow_name of ['file-flow', 'file-flow.yaml']) {
        const response = await gw.api('POST', '/workflows/run', { workflow_name });
        expect(response.status).toBe(202);
      }
    });

    it('answers 404 for an unknown workflow and 400 for invalid inline YAML, creating no run', async () => {
      const before = await runs().count();
      const unknown = await gw.api('POST', '/workflows/run', { workflow: 'no-such-flow' });
      expect(unknown.status).toBe(404);
      expect(unknown.error?.code).toBe('WORKFLOW_NOT_FOUND');
      const invalid = await gw.api('POST', '/workflows/run', { workflow: BROKEN_YAML });
      expect(invalid.status).toBe(400);
      expect(invalid.error?.code).toBe('INVALID_WORKFLOW');
      expect(invalid.error?.details?.length).toBeGreaterThan(0);
      expect(await runs().count()).toBe(before);
    });

    it('refuses bad bodies listing each bad field', async () => {
      const before = await runs().count();
      const response = await gw.api('POST', '/workflows/run', {
        workflow: 'file-flow',
        input: [1, 2],
        callback_url: 'ftp://example.com/x',
        max_cost_usd: -1,
        surprise: true,
      });
      expect(response.status).toBe(400);
      expect(response.error?.code).toBe('VALIDATION_ERROR');
      expect(response.error?.details?.map((d) => d.field).sort()).toEqual([
        'callback_url',
        'input',
        'max_cost_usd',
        'surprise',
      ]);
      const neither = await gw.api('POST', '/workflows/run', { input: {} });
      expect(neither.status).toBe(400);
      expect(neither.error?.details?.[0]?.field).toBe('workflow');
      expect(await runs().count()).toBe(before);
    });

    it('stores the idempotency key: a repeat answers with the first run, a different request conflicts', async () => {
      const key = `key-${randomUUID()}`;
      const first = await gw.api<RunAcceptedView>('POST', '/workflows/run', {
        workflow: 'file-flow',
        input: { n: 1 },
        idempotency_key: key,
      });
      expect(first.status).toBe(202);
      const repeat = await gw.api<RunAcceptedView>(
        'POST',
        '/workflows/run',
        { workflow: 'file-flow', input: { n: 1 } },
        { 'Idempotency-Key': key },
      );
      expect(repeat.status).toBe(200);
      expect(repeat.data).toEqual({ run_id: first.data.run_id, status: 'queued', idempotent: true });
      const conflict = await gw.api<RunAcceptedView>('POST', '/workflows/run', {
        workflow: 'file-flow',
        input: { n: 2 },
        idempotency_key: key,
      });
      expect(conflict.status).toBe(409);
      expect(conflict.error?.code).toBe('IDEMPOTENCY_CONFLICT');
      expect(await runs().countBy({ idempotencyKey: key })).toBe(1);
    });

    it('accepts bodies above the default 100kb parser limit, up to BODY_LIMIT', async () => {
      // 200 KB: above the parser's 100kb default, below MAX_INPUT_BYTES (256 KiB).
      const response = await gw.api('POST', '/workflows/run', {
        workflow: 'file-flow',
        input: { blob: 'x'.repeat(200_000) },
      });
      expect(response.status).toBe(202);
    });
  });

  describe('POST /workflows/run/sync', () => {
    it('answers 202 with the run so far when it does not finish in time', async () => {
      const response = await gw.api<RunView>('POST', '/workflows/run/sync?timeout_s=1', {
        workflow: 'file-flow',
      });
      expect(response.status).toBe(202);
      expect(response.data).toMatchObject({ workflow_name: 'file-flow', status: 'queued', steps: [] });
    });

    it('answers 200 with the finished run once it ends', async () => {
      const marker = randomUUID();
      const pending = gw.api<RunView>('POST', '/workflows/run/sync?timeout_s=60', {
        workflow: 'file-flow',
        input: { marker },
      });
      let runId: string | undefined;
      while (runId === undefined) {
        const rows: { id: string }[] = await gw.db.dataSource.query(
          `SELECT id FROM runs WHERE input_data->>'marker' = $1`,
          [marker],
        );
        runId = rows[0]?.id;
        if (runId === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      // What the orchestrator would do: finish the run, then announce it.
      await runs().update(
        { id: runId },
        { status: 'completed', startedAt: new Date(), completedAt: new Date(), outputs: { sum: 'done' } },
      );
      gw.nc.publish(gw.names.runEvent(runId, 'result'), JSON.stringify({ type: 'result', runId }));

      const response = await pending;
      expect(response.status).toBe(200);
      expect(response.data).toMatchObject({ run_id: runId, status: 'completed', outputs: { sum: 'done' } });
    });

    it('validates timeout_s', async () => {
      for (const timeout of ['0', '3601', 'soon']) {
        const response = await gw.api('POST', `/workflows/run/sync?timeout_s=${timeout}`, {
          workflow: 'file-flow',
        });
        expect(response.status).toBe(400);
        expect(response.error?.details?.[0]?.field).toBe('timeout_s');
      }
    });
  });

  describe('reading runs', () => {
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    let ids: string[];
    let parentId: string;

    beforeAll(async () => {
      parentId = await insertRun({ workflowName: 'paging', createdAt: at(0), status: 'completed' });
      ids = [parentId];
      for (let i = 1; i <= 5; i++) {
        ids.push(
          await insertRun({
            workflowName: 'paging',
            createdAt: at(i),
            status: i % 2 === 0 ? 'failed' : 'completed',
            parentRunId: i >= 4 ? parentId : null,
            kind: i >= 4 ? 'replay' : 'original',
          }),
        );
      }
    });

    it('lists newest first with the total, and pages', async () => {
      const page = await gw.api<RunSummaryView[]>('GET', '/runs?workflow=paging&limit=2&offset=1');
      expect(page.status).toBe(200);
      expect(page.meta).toEqual({ total: 6, limit: 2, offset: 1 });
      expect(page.data.map((r) => r.run_id)).toEqual([ids[4], ids[3]]);
      expect(page.data[0]).toEqual({
        run_id: ids[4],
        workflow_name: 'paging',
        status: 'failed',
        total_cost_usd: 0,
        max_cost_usd: null,
        created_at: at(4).toISOString(),
        started_at: null,
        completed_at: null,
        parent_run_id: parentId,
        schedule_id: null,
      });
      const defaults = await gw.api<RunSummaryView[]>('GET', '/runs?workflow=paging');
      expect(defaults.meta).toEqual({ total: 6, limit: 50, offset: 0 });
    });

    it('filters by status, time range and parent run', async () => {
      const failed = await gw.api<RunSummaryView[]>('GET', '/runs?workflow=paging&status=failed');
      expect(failed.data.map((r) => r.run_id)).toEqual([ids[4], ids[2]]);
      const range = await gw.api<RunSummaryView[]>(
        'GET',
        `/runs?workflow=paging&since=${at(2).toISOString()}&until=${at(4).toISOString()}`,
      );
      expect(range.data.map((r) => r.run_id)).toEqual([ids[3], ids[2]]);
      const children = await gw.api<RunSummaryView[]>('GET', `/runs?parent_run_id=${parentId}`);
      expect(children.data.map((r) => r.run_id)).toEqual([ids[5], ids[4]]);
      expect(children.meta?.total).toBe(2);
    });

    it('refuses bad query strings field by field', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['offset=-1', 'offset'],
        ['status=done', 'status'],
        ['since=yesterday', 'since'],
        ['parent_run_id=nope', 'parent_run_id'],
        ['colour=red', 'colour'],
      ]) {
        const response = await gw.api('GET', `/runs?${query}`);
        expect([query, response.status, response.error?.code]).toEqual([query, 400, 'VALIDATION_ERROR']);
        expect(response.error?.details?.map((d) => d.field)).toEqual([field]);
      }
    });

    it('shows a run with one entry per plain step and per fan-out item, in definition order', async () => {
      const runId = await insertRun({
        workflowName: 'file-flow',
        definition: { steps: [{ id: 'fetch' }, { id: 'fan' }, { id: 'empty' }, { id: 'sum' }] },
        status: 'running',
        startedAt: new Date('2030-01-01T00:00:00Z'),
      });
      const steps = gw.db.dataSource.getRepository(RunStepEntity);
      const row = (
        stepId: string,
        itemIndex: number | null,
        fields: QueryDeepPartialEntity<RunStepEntity> = {},
      ) => ({
        runId,
        tenantId: 'default',
        stepId,
        itemIndex,
        ...fields,
      });
      await steps.insert([
        row('sum', null, { status: 'pending' }),
        row('fan', 1, { status: 'running', attempt: 2, model: 'sonnet', runtime: 'simulated' }),
        row('fan', null, { status: 'running', itemCount: 2 }),
        row('empty', null, { status: 'completed', itemCount: 0, output: [] }),
        row('fan', 0, {
          status: 'completed',
          attempt: 1,
          output: { ok: true },
          costUsd: 0.01,
          durationSeconds: 1.5,
        }),
        row('fetch', null, { status: 'completed', attempt: 1, output: 'page', costUsd: 0.02 }),
      ]);

      const response = await gw.api<RunView>('GET', `/runs/${runId}`);
      expect(response.status).toBe(200);
      expect(response.data.steps.map((s) => [s.step_id, s.parallel_index, s.status])).toEqual([
        ['fetch', null, 'completed'],
        ['fan', 0, 'completed'],
        ['fan', 1, 'running'],
        ['empty', null, 'completed'],
        ['sum', null, 'pending'],
      ]);
      expect(response.data.steps[1]).toMatchObject({
        output: { ok: true },
        cost_usd: 0.01,
        duration_seconds: 1.5,
      });
      expect(response.data.steps[2]).toMatchObject({ attempt: 2, model: 'sonnet', runtime: 'simulated' });
      expect(response.data).toMatchObject({ run_id: runId, status: 'running', duration_seconds: null });

      const requestLine = gw.lines.find((l) => l['msg'] === 'request' && l['path'] === `/runs/${runId}`);
      expect(requestLine).toMatchObject({ level: 'debug', route: '/runs/:id', status: 200, runId });
    });

    it('answers 404 RUN_NOT_FOUND for an unknown run and 400 INVALID_ID for a malformed id', async () => {
      const missing = await gw.api('GET', `/runs/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(missing.error?.code).toBe('RUN_NOT_FOUND');
      const malformed = await gw.api('GET', '/runs/12345');
      expect(malformed.status).toBe(400);
      expect(malformed.error?.code).toBe('INVALID_ID');
    });

    it("does not show another tenant's runs", async () => {
      const foreign = await insertRun({ tenantId: 'tenant-b', workflowName: 'paging' });
      expect((await gw.api('GET', `/runs/${foreign}`)).status).toBe(404);
      expect((await gw.api('GET', '/runs?workflow=paging')).meta?.total).toBe(6);
    });
  });

  describe('HTTP edges', () => {
    it('answers an unknown route with the 404 envelope', async () => {
      const response = await gw.api('GET', '/nowhere');
      expect(response.status).toBe(404);
      expect(response.data).toBeNull();
      expect(response.error?.code).toBe('NOT_FOUND');
    });

    it('answers malformed JSON with 400 VALIDATION_ERROR', async () => {
      const response = await gw.api('POST', '/workflows/run', '{"workflow": ');
      expect(response.status).toBe(400);
      expect(response.error).toEqual({
        code: 'VALIDATION_ERROR',
        message: 'the request body is not valid JSON',
      });
    });

    it('answers a body over BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await gw.api('POST', '/workflows', { content: 'x'.repeat(1_100_000) });
      expect(response.status).toBe(413);
      expect(response.error?.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers an unexpected failure with 500 INTERNAL that reveals nothing, and logs it with its stack', async () => {
      await gw.db.dataSource.query('ALTER TABLE workflows RENAME TO workflows_hidden');
      try {
        const response = await gw.api('GET', '/workflows');
        expect(response.status).toBe(500);
        expect(response.error).toEqual({ code: 'INTERNAL', message: 'internal error' });
      } finally {
        await gw.db.dataSource.query('ALTER TABLE workflows_hidden RENAME TO workflows');
      }
      const logged = gw.lines.find((l) => l['msg'] === 'request failed' && l['path'] === '/workflows');
      expect(logged).toMatchObject({ level: 'error', status: 500 });
      expect(JSON.stringify(logged?.['err'])).toMatch(/workflows.*does not exist[\s\S]*stack/);
    });

    it('sets the security headers on every response, errors included', async () => {
      for (const response of [await gw.api('GET', '/workflows'), await gw.api('GET', '/nowhere')]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      }
    });

    it('allows CORS for the dashboard origin only', async () => {
      const preflight = await fetch(`${gw.url}/workflows/run`, {
        method: 'OPTIONS',
        headers: { Origin: DASHBOARD_ORIGIN, 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(DASHBOARD_ORIGIN);
      const other = await fetch(`${gw.url}/workflows`, { headers: { Origin: 'http://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).not.toBe('http://evil.test');
    });

    it('reports database, NATS and Sandstorm in /health', async () => {
      const response = await gw.api('GET', '/health');
      expect(response.status).toBe(200);
      expect(response.data).toEqual({
        status: 'ok',
        database: true,
        nats: true,
        sandstorm: true,
        storage: true,
      });
    });

    it('counts requests by route pattern in /metrics', async () => {
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      expect(text).toMatch(
        /sandcastle_gateway_http_requests_total\{[^}]*method="GET",route="\/runs\/:id",status="200"/,
      );
      expect(text).toMatch(/sandcastle_gateway_http_requests_total\{[^}]*route="unmatched",status="404"/);
      expect(text).toContain('sandcastle_gateway_http_request_duration_seconds_bucket');
      expect(text).not.toMatch(/route="\/runs\/[0-9a-f]{8}-/);
    });
  });
});
