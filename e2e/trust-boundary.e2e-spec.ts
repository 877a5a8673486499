import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { RunEntity } from '@sandcastle/persistence';
import { parseWorkflowYaml } from '@sandcastle/workflow';
import type { QueryDeepPartialEntity } from 'typeorm';
import { startFakeSandstorm, type FakeSandstorm } from '../test/support/fake-sandstorm-server';
import { E2eStack, yaml, type ApiAnswer } from './support/e2e-stack';

/**
 * Item 1 of the trust boundary (docs/security.md) against the five running services, played as a
 * hostile tenant: a workflow cannot name the platform's secrets or a host of its choosing as its
 * runtime, credentials reach only the configured endpoint, and no secret value appears in any
 * answer or any service's log. Every service gets every secret here (the launcher passes one
 * environment to all), so the executor could read ADMIN_API_KEY if it resolved `${VAR}` against
 * its whole environment.
 */
describe('trust boundary end to end', () => {
  const SECRETS = {
    ADMIN_API_KEY: 'ADMINSECRET-e2e-0123456789abcdefghijklmnopqrstuv',
    API_KEY_SECRET: 'HMACSECRET-e2e-0123456789abcdefghijklmnopqrstuvw',
    SANDSTORM_API_KEY: 'SANDSTORMSECRET-e2e-0123456789abcdefghijklmnop',
    ANTHROPIC_API_KEY: 'sk-ant-ANTHROPICSECRET-e2e-0123456789',
    E2B_API_KEY: 'e2b-E2BSECRET-e2e-0123456789',
  };
  let fake: FakeSandstorm;
  let attacker: Server;
  let attackerUrl: string;
  const attackerRequests: IncomingMessage[] = [];
  let sc: E2eStack;
  const answers: ApiAnswer[] = [];

  beforeAll(async () => {
    fake = await startFakeSandstorm({ apiKey: SECRETS.SANDSTORM_API_KEY, pingIntervalMs: 100 });
    attacker = createServer((req, res) => {
      attackerRequests.push(req);
      res.writeHead(302, { location: fake.url }).end('gotcha');
    });
    attacker.listen(0, '127.0.0.1');
    await once(attacker, 'listening');
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    sc = await E2eStack.start({
      env: {
        ...SECRETS,
        LOG_LEVEL: 'debug',
        SANDSTORM_ENDPOINTS: `fake=${fake.url}`,
        // Set on every service but not allow-listed: a workflow must not be able to use it.
        ATTACKER_URL: attackerUrl,
        // Runs inserted straight into the database (below) are started by the reconciler.
        STALE_QUEUED_RUN_SECONDS: 1,
      },
    });
  });

  afterAll(async () => {
    await sc?.stop();
    await fake?.close();
    if (attacker) {
      attacker.close();
      attacker.closeAllConnections();
    }
  });

  async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const answer = await sc.api<T>(method, path, body);
    answers.push(answer);
    return answer;
  }

  const workflow = (sandstormUrl: string) =>
    yaml([
      'name: Hostile Flow',
      `sandstorm_url: "${sandstormUrl}"`,
      'steps:',
      '  - id: only',
      '    prompt: "hello [probe:boundary]"',
    ]);

  it.each([
    ['${ADMIN_API_KEY}'],
    ['${SANDSTORM_API_KEY}'],
    ['${ATTACKER_URL}'],
    ['https://attacker.example'],
    ['http://169.254.169.254/latest/meta-data/'],
    ['http://127.0.0.1:5432'],
  ])(
    'refuses sandstorm_url %s at save and at run with 400 INVALID_WORKFLOW naming the field',
    async (url) => {
      const saved = await api('POST', '/workflows', { name: 'hostile', content: workflow(url) });
      const run = await api('POST', '/workflows/run', { workflow: workflow(url) });
      for (const answer of [saved, run]) {
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatchObject({ code: 'INVALID_WORKFLOW' });
        expect(answer.body.error?.details?.map((d) => d.field)).toEqual(['sandstorm_url']);
      }
    },
  );

  it('refuses the attacker server itself (an internal URL) as sandstorm_url', async () => {
    const run = await api('POST', '/workflows/run', { workflow: workflow(attackerUrl) });
    expect(run.status).toBe(400);
    expect(run.body.error?.details?.map((d) => d.field)).toEqual(['sandstorm_url']);
  });

  it('refuses a loopback callback_url with 400 VALIDATION_ERROR naming the field', async () => {
    const run = await api('POST', '/workflows/run', {
      workflow: workflow('fake'),
      callback_url: `${attackerUrl}/hook`,
    });
    expect(run.status).toBe(400);
    expect(run.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(run.body.error?.details?.map((d) => d.field)).toEqual(['callback_url']);
  });

  it('runs on the configured endpoint by name, which alone receives the credentials', async () => {
    const accepted = await api<{ run_id: string }>('POST', '/workflows/run', { workflow: workflow('fake') });
    expect(accepted.status).toBe(202);
    const run = await sc.waitForRun(accepted.body.data.run_id);
    answers.push({ status: 200, headers: new Headers(), body: { data: run, error: null } });
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({ runtime: 'sandstorm', status: 'completed' });

    const queries = fake.requests.filter((r) => r.path === '/query');
    expect(queries).toHaveLength(1);
    expect(queries[0]!.headers['authorization']).toBe(`Bearer ${SECRETS.SANDSTORM_API_KEY}`);
    expect(queries[0]!.body).toMatchObject({
      anthropic_api_key: SECRETS.ANTHROPIC_API_KEY,
      e2b_api_key: SECRETS.E2B_API_KEY,
    });
  });

  it('fails, in the executor, a stored definition that slipped past the gateway', async () => {
    // As if stored before the operator's policy existed: the executor is the last line.
    const hostile = ['${ADMIN_API_KEY}', '${ATTACKER_URL}', attackerUrl, 'https://attacker.example'];
    const ids: string[] = [];
    for (const url of hostile) {
      const parsed = parseWorkflowYaml(
        yaml([
          'name: Stored Hostile Flow',
          `sandstorm_url: "${url}"`,
          'steps:',
          '  - id: only',
          '    prompt: "hello"',
          '    retry: { max_attempts: 1 }',
        ]),
      );
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      const id = randomUUID();
      await sc.db.getRepository(RunEntity).insert({
        id,
        tenantId: 'default',
        workflowName: 'stored-hostile-flow',
        workflowVersion: null,
        definition: parsed.definition as unknown as QueryDeepPartialEntity<Record<string, unknown>>,
        inputData: {},
        status: 'queued',
        kind: 'original',
        rootRunId: id,
      });
      ids.push(id);
    }
    for (const id of ids) {
      const run = await sc.waitForRun(id);
      answers.push({ status: 200, headers: new Headers(), body: { data: run, error: null } });
      expect(run.status).toBe('failed');
      expect(run.steps[0]!.error).toMatch(/^sandstorm_url(:| is not)/);
      expect(run.steps[0]!.error).not.toContain('attacker');
      expect(run.steps[0]!.error).not.toContain('127.0.0.1');
    }
  });

  it('sent nothing to a host the tenant chose', () => {
    expect(attackerRequests).toHaveLength(0);
  });

  it('never shows a secret value in an answer or a log line of any service', async () => {
    const listing = await api('GET', '/runs');
    expect(listing.status).toBe(200);
    expect(sc.logs.length).toBeGreaterThan(0);
    const everything = [...answers.map((a) => JSON.stringify(a.body)), ...sc.logs].join('\n');
    for (const [name, value] of Object.entries(SECRETS)) {
      expect({ name, found: everything.includes(value) }).toEqual({ name, found: false });
    }
  });
});
