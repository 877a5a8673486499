import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunView } from '@sandcastle/contracts';
import {
  startFakeSandstorm,
  type FakeReply,
  type FakeSandstorm,
} from '../test/support/fake-sandstorm-server';
import { E2eStack, isFinished, yaml, type ApiAnswer } from './support/e2e-stack';

const secret = (label: string): string => `${label}-${randomBytes(18).toString('hex')}`;

/** Recognisable, random values: any occurrence of one of them in an answer or a log is a leak. */
const SECRETS = {
  ADMIN_API_KEY: secret('ADMINSECRET'),
  API_KEY_SECRET: secret('HMACSECRET'),
  SANDSTORM_API_KEY: secret('SANDSTORMSECRET'),
  WEBHOOK_SECRET: secret('WEBHOOKSECRET'),
};

/** Low enough for a flood to reach quickly, high enough for tenant B's polling never to. */
const RATE_LIMIT_PER_MINUTE = 300;

interface CreatedKey {
  id: string;
  key: string;
  tenant_id: string;
}

/**
 * The whole trust boundary at once (docs/security.md), played as a hostile tenant A against the
 * five running services with auth on, while tenant B keeps starting small runs that must all
 * complete. The per-area attacks live in trust-boundary.e2e-spec.ts and hostile-input.e2e-spec.ts;
 * this suite plays them together, against one stack, and checks what must hold across all of them:
 * no secret in any answer or any service's log, nothing sent to a host the tenant chose, every run
 * of both tenants in a terminal state, and no failure for the neighbour.
 */
describe('adversarial tenant end to end', () => {
  let fake: FakeSandstorm;
  let attacker: Server;
  let attackerUrl: string;
  let attackerRequests = 0;
  let sc: E2eStack;
  let gatewayPort: string;
  let keyA: CreatedKey;
  let keyB: CreatedKey;
  const answers: ApiAnswer[] = [];

  /** Tenant B's background traffic: run ids and their final states, or what went wrong. */
  const neighbour = { stop: false, runs: new Map<string, string>(), errors: [] as string[] };
  let neighbourLoop: Promise<void>;

  const as = (key: string) => ({ 'x-api-key': key });
  async function api<T = unknown>(key: string, method: string, path: string, body?: unknown) {
    const answer = await sc.api<T>(method, path, body, as(key));
    answers.push(answer);
    return answer;
  }

  async function createKey(tenant: string): Promise<CreatedKey> {
    const created = await api<CreatedKey>(SECRETS.ADMIN_API_KEY, 'POST', '/api-keys', {
      tenant_id: tenant,
      name: `key of ${tenant}`,
    });
    if (created.status !== 201) throw new Error(`key not created: ${JSON.stringify(created.body)}`);
    return created.body.data;
  }

  async function waitAs(key: string, runId: string, timeoutMs = 90_000): Promise<RunView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await api<RunView>(key, 'GET', `/runs/${runId}`);
      if (answer.status === 200 && isFinished(answer.body.data)) return answer.body.data;
      if (Date.now() > deadline)
        throw new Error(`run ${runId} did not finish: ${answer.status} ${JSON.stringify(answer.body)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  const NEIGHBOUR_FLOW = yaml([
    'name: Neighbour Flow',
    'runtime: simulated',
    'steps:',
    '  - id: first',
    '    prompt: "hello {input.n}"',
    '  - id: second',
    '    depends_on: [first]',
    '    prompt: "then {steps.first.output}"',
  ]);

  /** Tenant B: one small run after another until told to stop. */
  async function runNeighbour(): Promise<void> {
    for (let n = 0; !neighbour.stop; n++) {
      try {
        const started = await api<{ run_id: string }>(keyB.key, 'POST', '/workflows/run', {
          workflow: NEIGHBOUR_FLOW,
          input: { n },
        });
        if (started.status !== 202) {
          neighbour.errors.push(`start ${n}: ${started.status} ${JSON.stringify(started.body)}`);
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        const runId = started.body.data.run_id;
        neighbour.runs.set(runId, 'started');
        neighbour.runs.set(runId, (await waitAs(keyB.key, runId)).status);
      } catch (err) {
        neighbour.errors.push(`run ${n}: ${String(err)}`);
      }
    }
  }

  async function neighbourCompleted(atLeast: number): Promise<string> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const done = [...neighbour.runs].filter(([, status]) => status === 'completed');
      if (done.length >= atLeast) return done[0]![0];
      if (Date.now() > deadline || neighbour.errors.length > 0)
        throw new Error(`tenant B: ${JSON.stringify([...neighbour.runs])} ${neighbour.errors.join('; ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    fake = await startFakeSandstorm({ apiKey: SECRETS.SANDSTORM_API_KEY, pingIntervalMs: 100 });
    fake.setScenario((req, byMarkers) => hostileReply(JSON.stringify(req.body)) ?? byMarkers());
    attacker = createServer((_req, res) => {
      attackerRequests++;
      res.writeHead(302, { location: fake.url }).end('gotcha');
    });
    attacker.listen(0, '127.0.0.1');
    await once(attacker, 'listening');
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    sc = await E2eStack.start({
      env: {
        ...SECRETS,
        LOG_LEVEL: 'debug',
        AUTH_REQUIRED: 'true',
        SANDSTORM_URL: fake.url,
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
        // Loopback receivers are refused: the attacker server is one.
        WEBHOOK_ALLOW_PRIVATE: 'false',
        // On every service's environment, not allow-listed: no workflow may reach it.
        ATTACKER_URL: attackerUrl,
      },
    });
    gatewayPort = new URL(sc.stack.gatewayUrl).port;
    const suffix = randomBytes(3).toString('hex');
    keyA = await createKey(`attacker-${suffix}`);
    keyB = await createKey(`neighbour-${suffix}`);
    neighbourLoop = runNeighbour();
  }, 120_000);

  afterAll(async () => {
    neighbour.stop = true;
    await neighbourLoop?.catch(() => undefined);
    await sc?.stop();
    await fake?.close();
    if (attacker) {
      attacker.close();
      attacker.closeAllConnections();
    }
  });

  const withEndpoint = (url: string) =>
    yaml(['name: Hostile Endpoint', `sandstorm_url: "${url}"`, 'steps:', '  - id: only', '    prompt: hi']);

  it('refuses secrets, a chosen host and internal URLs as sandstorm_url with 400 INVALID_WORKFLOW', async () => {
    const urls = [
      '${ADMIN_API_KEY}',
      '${API_KEY_SECRET}',
      '${SANDSTORM_API_KEY}',
      '${WEBHOOK_SECRET}',
      '${ATTACKER_URL}',
      attackerUrl,
      'http://169.254.169.254/latest/meta-data/',
      `http://127.0.0.1:${gatewayPort}`,
    ];
    for (const url of urls) {
      const saved = await api(keyA.key, 'POST', '/workflows', {
        name: 'hostile',
        content: withEndpoint(url),
      });
      const run = await api(keyA.key, 'POST', '/workflows/run', { workflow: withEndpoint(url) });
      for (const answer of [saved, run]) {
        expect({ url, status: answer.status, code: answer.body.error?.code }).toEqual({
          url,
          status: 400,
          code: 'INVALID_WORKFLOW',
        });
        expect(answer.body.error?.details?.map((d) => d.field)).toEqual(['sandstorm_url']);
      }
    }
  });

  it('refuses a secret as a workflow webhook, and a loopback or metadata callback_url', async () => {
    const hook = await api(keyA.key, 'POST', '/workflows/run', {
      workflow: yaml([
        'name: Hostile Hook',
        'runtime: simulated',
        'on_complete: { webhook: "${ADMIN_API_KEY}" }',
        'steps:',
        '  - id: only',
        '    prompt: hi',
      ]),
    });
    expect(hook.status).toBe(400);
    expect(hook.body.error?.code).toBe('INVALID_WORKFLOW');
    expect(hook.body.error?.details?.map((d) => d.field)).toEqual(['on_complete.webhook']);

    for (const callback of [
      `${attackerUrl}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      `http://localhost:${gatewayPort}/runs`,
    ]) {
      const run = await api(keyA.key, 'POST', '/workflows/run', {
        workflow: NEIGHBOUR_FLOW,
        callback_url: callback,
      });
      expect({ callback, status: run.status, code: run.body.error?.code }).toEqual({
        callback,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
      expect(run.body.error?.details?.map((d) => d.field)).toEqual(['callback_url']);
    }
  });

  it('refuses a literal loopback webhook at submit, and refuses at delivery one that resolves to loopback', async () => {
    const literal = await api(keyA.key, 'POST', '/workflows/run', {
      workflow: yaml([
        'name: Loopback Hook',
        'runtime: simulated',
        `on_complete: { webhook: "${attackerUrl}/hook" }`,
        'steps:',
        '  - id: only',
        '    prompt: hi',
      ]),
    });
    expect(literal.status).toBe(400);
    expect(literal.body.error?.code).toBe('INVALID_WORKFLOW');
    expect(literal.body.error?.details?.map((d) => d.field)).toEqual(['on_complete.webhook']);

    // `${SANDSTORM_URL}` is allow-listed, so it is only checked when called: it is loopback here.
    const started = await api<{ run_id: string }>(keyA.key, 'POST', '/workflows/run', {
      workflow: yaml([
        'name: Variable Hook',
        'runtime: simulated',
        'on_complete: { webhook: "${SANDSTORM_URL}/hook" }',
        'steps:',
        '  - id: only',
        '    prompt: hi',
      ]),
    });
    expect(started.status).toBe(202);
    const runId = started.body.data.run_id;
    expect((await waitAs(keyA.key, runId)).status).toBe('completed');
    const deadline = Date.now() + 60_000;
    for (;;) {
      const deliveries = await api<{ status: string; last_error: string | null }[]>(
        keyA.key,
        'GET',
        `/runs/${runId}/deliveries`,
      );
      expect(deliveries.status).toBe(200);
      const failed = deliveries.body.data.find((d) => d.status === 'failed');
      if (failed) {
        expect(failed.last_error).toMatch(/^UNSAFE_URL/);
        expect(fake.requests.filter((r) => r.path.startsWith('/hook'))).toEqual([]);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no failed delivery: ${JSON.stringify(deliveries.body)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  it('refuses oversized workflows and inputs, and NUL in the input, with their codes', async () => {
    const tooLong = await api(keyA.key, 'POST', '/workflows/run', {
      workflow: yaml([
        'name: Too Long',
        'runtime: simulated',
        'steps:',
        '  - id: a',
        `    prompt: "${'x'.repeat(300_000)}"`,
      ]),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error?.code).toBe('WORKFLOW_TOO_LARGE');

    const steps = Array.from({ length: 501 }, (_, i) => `  - {id: s${i}, prompt: go}`);
    const tooMany = await api(keyA.key, 'POST', '/workflows', {
      content: yaml(['name: Too Many', 'runtime: simulated', 'steps:', ...steps]),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'WORKFLOW_TOO_LARGE', details: [{ field: 'steps' }] });

    const bigInput = await api(keyA.key, 'POST', '/workflows/run', {
      workflow: NEIGHBOUR_FLOW,
      input: { blob: 'x'.repeat(300_000) },
    });
    expect(bigInput.status).toBe(400);
    expect(bigInput.body.error?.code).toBe('INPUT_TOO_LARGE');

    const nul = await api(keyA.key, 'POST', '/workflows/run', {
      workflow: NEIGHBOUR_FLOW,
      input: { n: 'a\u0000b' },
    });
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'input.n' }] });
  });

  it('ends a huge parallel_over with FAN_OUT_TOO_LARGE and a hostile runtime result with its cost', async () => {
    const fan = await api<{ run_id: string }>(keyA.key, 'POST', '/workflows/run', {
      workflow: yaml([
        'name: Huge Fan',
        'runtime: simulated',
        'steps:',
        '  - id: each',
        '    parallel_over: input.items',
        '    prompt: "item {input._item}"',
      ]),
      input: { items: new Array<number>(50_000).fill(0) },
    });
    const garbage = await api<{ run_id: string }>(keyA.key, 'POST', '/workflows/run', {
      workflow: yaml([
        'name: Garbage',
        'runtime: sandstorm',
        'steps:',
        '  - id: g',
        '    prompt: "[hostile:garbage]"',
      ]),
    });
    expect([fan.status, garbage.status]).toEqual([202, 202]);

    const fanRun = await waitAs(keyA.key, fan.body.data.run_id);
    expect(fanRun.status).toBe('failed');
    expect(fanRun.steps.find((s) => s.step_id === 'each')).toMatchObject({
      status: 'failed',
      error_kind: 'FAN_OUT_TOO_LARGE',
    });

    const garbageRun = await waitAs(keyA.key, garbage.body.data.run_id);
    expect(isFinished(garbageRun)).toBe(true);
    expect(garbageRun.total_cost_usd).toBeCloseTo(0.25, 6);
    const stored: { cost: string }[] = await sc.db.query(
      `SELECT coalesce(sum(cost_usd), 0) AS cost FROM step_attempts WHERE run_id = $1`,
      [garbage.body.data.run_id],
    );
    expect(Number(stored[0]!.cost)).toBeCloseTo(0.25, 6);
  });

  it("cannot see or touch tenant B's run, its stream or its checkpoints (404)", async () => {
    const runOfB = await neighbourCompleted(1);
    const reads = [
      `/runs/${runOfB}`,
      `/runs/${runOfB}/checkpoints`,
      `/runs/${runOfB}/checkpoints/1`,
      `/runs/${runOfB}/deliveries`,
      `/runs/${runOfB}/lineage`,
    ];
    for (const path of reads) {
      const answer = await api(keyA.key, 'GET', path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    }
    for (const [path, body] of [
      [`/runs/${runOfB}/cancel`, {}],
      [`/runs/${runOfB}/replay`, { from_step: 'second' }],
      [`/runs/${runOfB}/fork`, { from_step: 'second', changes: { prompt: 'mine now' } }],
    ] as const) {
      const answer = await api(keyA.key, 'POST', path, body);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    }
    // The stream: refused before any event is sent; aborted in case it opened anyway.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 10_000);
    const stream = await fetch(`${sc.stack.gatewayUrl}/runs/${runOfB}/stream`, {
      headers: as(keyA.key),
      signal: abort.signal,
    });
    const text = stream.status === 404 ? await stream.text() : '';
    clearTimeout(timer);
    abort.abort();
    answers.push({ status: stream.status, headers: stream.headers, body: text ? JSON.parse(text) : null });
    expect(stream.status).toBe(404);
    // The list shows none of B's runs.
    const listing = await api<{ id: string }[]>(keyA.key, 'GET', '/runs?limit=200');
    expect(listing.status).toBe(200);
    expect(listing.body.data.filter((r) => neighbour.runs.has(r.id))).toEqual([]);
  });

  it('answers a flood beyond the rate limit with 429 RATE_LIMITED and Retry-After', async () => {
    let limited: ApiAnswer | undefined;
    for (let sent = 0; !limited && sent < RATE_LIMIT_PER_MINUTE * 2; sent += 25) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, () => api(keyA.key, 'GET', '/runs?limit=1')),
      );
      limited = batch.find((a) => a.status === 429);
    }
    expect(limited).toBeDefined();
    expect(limited!.body.error?.code).toBe('RATE_LIMITED');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('leaves every run terminal, tenant B unharmed, the attacker uncalled and no secret anywhere', async () => {
    // B keeps completing after A's flood.
    const before = [...neighbour.runs.values()].filter((s) => s === 'completed').length;
    await neighbourCompleted(before + 2);
    neighbour.stop = true;
    await neighbourLoop;

    expect(neighbour.errors).toEqual([]);
    expect(neighbour.runs.size).toBeGreaterThanOrEqual(3);
    expect([...neighbour.runs.values()].filter((s) => s !== 'completed')).toEqual([]);

    const rows: { tenant_id: string; status: string; n: string }[] = await sc.db.query(
      `SELECT tenant_id, status, count(*) AS n FROM runs GROUP BY tenant_id, status ORDER BY 1, 2`,
    );
    const open = rows.filter((r) => ['queued', 'running'].includes(r.status));
    expect(open).toEqual([]);
    expect(rows.filter((r) => r.tenant_id === keyB.tenant_id).map((r) => r.status)).toEqual(['completed']);

    // The admin's view of everything, collected too.
    const all = await api(SECRETS.ADMIN_API_KEY, 'GET', '/runs?limit=200');
    expect(all.status).toBe(200);

    expect(attackerRequests).toBe(0);

    expect(sc.logs.length).toBeGreaterThan(0);
    const services = new Set(sc.logs.map((line) => /"service":"([a-z]+)"/.exec(line)?.[1]).filter(Boolean));
    expect([...services].sort()).toEqual(['executor', 'gateway', 'notifier', 'orchestrator', 'scheduler']);
    const everything = [...answers.map((a) => JSON.stringify(a.body)), ...sc.logs].join('\n');
    for (const [name, value] of Object.entries(SECRETS)) {
      expect({ name, found: everything.includes(value) }).toEqual({ name, found: false });
    }
  });
});

/** A hostile Sandstorm reply, chosen by a marker in the prompt; null = the fake's default. */
function hostileReply(body: string): FakeReply | null {
  if (!body.includes('[hostile:garbage]')) return null;
  return {
    kind: 'stream',
    steps: [
      {
        event: {
          type: 'result',
          subtype: 'success',
          is_error: false,
          result: 'nul \u0000 and lone \uD800 here',
          total_cost_usd: 0.25,
          num_turns: 2 ** 40,
          usage: { input_tokens: 2 ** 40, output_tokens: 2 ** 36, cache_read_input_tokens: -5 },
        },
      },
    ],
  };
}
