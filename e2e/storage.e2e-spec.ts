import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { ArtifactView, RunView } from '@sandcastle/contracts';
import {
  startFakeSandstorm,
  type FakeReply,
  type FakeSandstorm,
} from '../test/support/fake-sandstorm-server';
import { E2eStack, isFinished, yaml, type ApiAnswer } from './support/e2e-stack';

const ADMIN_KEY = 'e2e-admin-key-with-more-than-32-characters';
const API_KEY_SECRET = 'e2e-key-secret-with-more-than-32-characters!';
const FIVE_MB = 5 * 1024 * 1024;
const TWENTY_MB = 20_000_000;

/** A real S3 HTTP server (s3rver, from npm) in a temp directory, restartable on its port. */
class S3Server {
  private server: S3rver | null = null;
  port = 0;

  private constructor(readonly dir: string) {}

  static async start(): Promise<S3Server> {
    const s3 = new S3Server(await mkdtemp(join(tmpdir(), 'sc-e2e-s3rver-')));
    await s3.run(0);
    return s3;
  }

  async run(port: number): Promise<void> {
    this.server = new S3rver({ address: '127.0.0.1', port, directory: this.dir, silent: true });
    ({ port: this.port } = await this.server.run());
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }

  async remove(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * The fake Sandstorm's answers for these tests, on top of its markers: `[big:5mb]` answers with
 * a 5 MB text, `[answer:TEXT]` with exactly TEXT.
 */
function storageReply(body: string, byMarkers: () => FakeReply): FakeReply {
  const answer = /\[answer:([^\]]*)\]/.exec(body)?.[1];
  const big = body.includes('[big:5mb]');
  if (answer === undefined && !big) return byMarkers();
  const reply = byMarkers();
  if (reply.kind !== 'stream') return reply;
  for (const step of reply.steps) {
    if ('event' in step && step.event['type'] === 'result') {
      step.event['result'] = big ? `BEGIN${'y'.repeat(FIVE_MB)}END` : answer;
    }
  }
  return reply;
}

/**
 * Storage through the five running services, once on the local backend and once on a real S3
 * HTTP server (s3rver): Sandstorm `file` events of 20 MB stored as artifacts, a 5 MB output
 * offloaded and read back by a later step's template, agent memory between two runs, traversal
 * refused at save time and at run time, tenant isolation, and a storage outage at on_complete.
 */
describe.each(['local', 's3'] as const)('storage end to end (%s backend)', (backend) => {
  let fake: FakeSandstorm;
  let s3: S3Server | null = null;
  let sc: E2eStack;
  let keyA: string;
  let keyB: string;
  let tenantA: string;

  const as = (key: string) => ({ 'x-api-key': key });
  const api = <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    key = keyA,
  ): Promise<ApiAnswer<T>> => sc.api<T>(method, path, body, as(key));

  async function startRun(request: Record<string, unknown>, key = keyA): Promise<string> {
    const answer = await api<{ run_id: string }>('POST', '/workflows/run', request, key);
    if (answer.status !== 202)
      throw new Error(`run not accepted: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.data.run_id;
  }

  async function waitForRun(runId: string, key = keyA): Promise<RunView> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const answer = await api<RunView>('GET', `/runs/${runId}`, undefined, key);
      if (answer.status === 200 && isFinished(answer.body.data)) return answer.body.data;
      if (Date.now() > deadline)
        throw new Error(`run ${runId} did not finish: ${JSON.stringify(answer.body).slice(0, 2000)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async function download(
    runId: string,
    name: string,
    key = keyA,
  ): Promise<{ status: number; body: Buffer; headers: Headers }> {
    const res = await fetch(`${sc.stack.gatewayUrl}/runs/${runId}/artifacts/${name}`, { headers: as(key) });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  const queriesWith = (marker: string) =>
    fake.requests.filter((r) => r.path === '/query' && r.rawBody.includes(marker));

  const flow = (name: string, steps: string[], extra: string[] = []) =>
    yaml([`name: ${name}`, 'sandstorm_url: "${FAKE_SANDSTORM}"', ...extra, 'steps:', ...steps]);

  beforeAll(async () => {
    fake = await startFakeSandstorm({ pingIntervalMs: 100 });
    fake.setScenario((req, byMarkers) => storageReply(req.rawBody, byMarkers));
    const storageEnv: Record<string, string> = {};
    if (backend === 's3') {
      s3 = await S3Server.start();
      Object.assign(storageEnv, {
        STORAGE_BACKEND: 's3',
        STORAGE_ENDPOINT: `http://127.0.0.1:${s3.port}`,
        STORAGE_BUCKET: `sc-e2e-${randomBytes(3).toString('hex')}`,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
      });
    }
    sc = await E2eStack.start({
      env: {
        ...storageEnv,
        AUTH_REQUIRED: 'true',
        ADMIN_API_KEY: ADMIN_KEY,
        API_KEY_SECRET,
        RATE_LIMIT_PER_MINUTE: '0',
        FAKE_SANDSTORM: fake.url,
        SANDSTORM_ENDPOINTS: `fake=${fake.url}`,
        WORKFLOW_ENV_ALLOWLIST: 'SANDSTORM_URL,FAKE_SANDSTORM',
        // A 5 MB answer is one 5 MB SSE event, and the later prompt that quotes it is 5 MB too.
        MAX_RUNTIME_EVENT_BYTES: String(8 * 1024 * 1024),
        MAX_PROMPT_BYTES: String(8 * 1024 * 1024),
      },
    });
    const suffix = randomBytes(3).toString('hex');
    const key = async (tenant: string) => {
      const created = await sc.api<{ key: string; tenant_id: string }>(
        'POST',
        '/api-keys',
        { tenant_id: tenant, name: tenant },
        as(ADMIN_KEY),
      );
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
      return created.body.data;
    };
    const a = await key(`store-a-${suffix}`);
    keyA = a.key;
    tenantA = a.tenant_id;
    keyB = (await key(`store-b-${suffix}`)).key;
  });

  afterAll(async () => {
    await sc?.stop();
    await fake?.close();
    await s3?.remove();
  });

  it('reports storage in /health of the gateway, the orchestrator and the executor', async () => {
    for (const service of ['gateway', 'orchestrator', 'executor'] as const) {
      const res = await fetch(`${sc.stack.urlOf(service)}/health`);
      const body = (await res.json()) as { data: Record<string, unknown> };
      expect({ service, storage: body.data['storage'] }).toEqual({ service, storage: true });
    }
  });

  it('stores a 20 MB Sandstorm file event as an artifact: listed, downloaded byte for byte, rows stay small', async () => {
    const runId = await startRun({
      workflow: flow('File Maker', ['  - id: make', '    prompt: "write a report [fake:file=20000000]"']),
    });
    const run = await waitForRun(runId);
    expect(run.status).toBe('completed');
    const listed = await api<ArtifactView[]>('GET', `/runs/${runId}/artifacts`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        name: 'file.make.a1.out.txt',
        kind: 'file',
        size: TWENTY_MB,
        content_type: 'text/plain; charset=utf-8',
        step_id: 'make',
        path: `runs/${runId}/file.make.a1.out.txt`,
        url: `/runs/${runId}/artifacts/file.make.a1.out.txt`,
      }),
    ]);
    const file = await download(runId, 'file.make.a1.out.txt');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="file.make.a1.out.txt"');
    expect(file.body.length).toBe(TWENTY_MB);
    expect(file.body.equals(Buffer.alloc(TWENTY_MB, 0x61))).toBe(true);
    const [sizes] = await sc.db.query<{ output: number; prompt: number }[]>(
      `SELECT max(pg_column_size(output)) AS output, max(pg_column_size(prompt)) AS prompt FROM run_steps WHERE run_id = $1`,
      [runId],
    );
    expect(sizes!.output).toBeLessThan(64 * 1024);
  });

  it('offloads a 5 MB output and feeds it to a later step: whole, and inside a fan-out-free template', async () => {
    const runId = await startRun({
      workflow: flow('Big Then Use', [
        '  - id: big',
        '    prompt: "produce a lot [big:5mb]"',
        '  - id: use',
        '    depends_on: [big]',
        '    prompt: "Summarise this [probe:use-big]: {steps.big.output}"',
      ]),
    });
    const run = await waitForRun(runId);
    expect(run.status).toBe('completed');
    const big = run.steps.find((s) => s.step_id === 'big')!;
    expect(big.output).toBeNull();
    expect(big.output_ref).toMatchObject({
      name: 'output.big.a1.json',
      size: FIVE_MB + 8 + 2,
      content_type: 'application/json',
      url: `/runs/${runId}/artifacts/output.big.a1.json`,
    });
    expect(big.output_ref!.preview).toMatch(/^"BEGINy+$/);
    expect(big.output_ref!.preview.length).toBeLessThanOrEqual(1024);
    expect(run.outputs['big']).toBeNull();
    expect(run.output_refs['big']).toEqual(big.output_ref);

    const [request] = queriesWith('[probe:use-big]');
    const prompt = (request!.body as { prompt: string }).prompt;
    expect(prompt).toBe(`Summarise this [probe:use-big]: BEGIN${'y'.repeat(FIVE_MB)}END`);

    const stored = await download(runId, 'output.big.a1.json');
    expect(JSON.parse(stored.body.toString('utf8'))).toBe(`BEGIN${'y'.repeat(FIVE_MB)}END`);
    const [sizes] = await sc.db.query<{ output: number; prompt: number; run_outputs: number }[]>(
      `SELECT max(pg_column_size(output)) AS output, max(pg_column_size(prompt)) AS prompt,
              (SELECT pg_column_size(outputs) FROM runs WHERE id = $1) AS run_outputs
         FROM run_steps WHERE run_id = $1`,
      [runId],
    );
    expect(Math.max(sizes!.output, sizes!.prompt, sizes!.run_outputs)).toBeLessThan(64 * 1024);
  });

  it('remembers between runs: the second run reads what the first stored', async () => {
    const memory = flow(
      'Memory',
      [
        '  - id: recall',
        '    prompt: "Known so far: {storage.memory/{input.company}/notes.txt} [probe:recall-{input.n}]"',
        '    storage_default: "nothing yet"',
        '  - id: learn',
        '    depends_on: [recall]',
        '    prompt: "[answer:{input.company} sells robots (run {input.n})]"',
        '    storage_write: "memory/{input.company}/notes.txt"',
      ],
      ['on_complete:', '  storage_path: "results/{input.company}/{run_id}.json"'],
    );
    const first = await waitForRun(await startRun({ workflow: memory, input: { company: 'acme', n: 1 } }));
    expect(first.status).toBe('completed');
    expect((queriesWith('[probe:recall-1]')[0]!.body as { prompt: string }).prompt).toBe(
      'Known so far: nothing yet [probe:recall-1]',
    );
    expect(first.storage_path).toBe(`results/acme/${first.run_id}.json`);

    const second = await waitForRun(await startRun({ workflow: memory, input: { company: 'acme', n: 2 } }));
    expect(second.status).toBe('completed');
    expect((queriesWith('[probe:recall-2]')[0]!.body as { prompt: string }).prompt).toBe(
      'Known so far: acme sells robots (run 1) [probe:recall-2]',
    );

    const artifacts = await api<ArtifactView[]>('GET', `/runs/${first.run_id}/artifacts`);
    expect(artifacts.body.data.map((a) => [a.name, a.kind, a.path]).sort()).toEqual([
      ['on_complete.json', 'result', `results/acme/${first.run_id}.json`],
      ['write.learn', 'write', 'memory/acme/notes.txt'],
    ]);
    const result = await download(first.run_id, 'on_complete.json');
    expect(JSON.parse(result.body.toString('utf8'))).toEqual({
      recall: expect.stringMatching(/^fake answer to: Known so far: nothing yet/),
      learn: 'acme sells robots (run 1)',
    });

    // Tenant B runs the same workflow: its memory is its own (same path, another object).
    const ofB = await waitForRun(
      await startRun({ workflow: memory, input: { company: 'acme', n: 3 } }, keyB),
      keyB,
    );
    expect(ofB.status).toBe('completed');
    expect((queriesWith('[probe:recall-3]')[0]!.body as { prompt: string }).prompt).toBe(
      'Known so far: nothing yet [probe:recall-3]',
    );
  });

  it("keeps tenant B away from A's artifacts", async () => {
    const runId = await startRun({
      workflow: flow('Private File', ['  - id: make', '    prompt: "file [fake:file=1000]"']),
    });
    expect((await waitForRun(runId)).status).toBe('completed');
    expect((await download(runId, 'file.make.a1.out.txt')).status).toBe(200);
    const list = await api('GET', `/runs/${runId}/artifacts`, undefined, keyB);
    expect([list.status, list.body.error?.code]).toEqual([404, 'RUN_NOT_FOUND']);
    const get = await download(runId, 'file.make.a1.out.txt', keyB);
    expect(get.status).toBe(404);
    expect(get.body.toString()).toContain('RUN_NOT_FOUND');
  });

  it('refuses traversal with 400 STORAGE_PATH_INVALID: at save time, at run time, and when downloading', async () => {
    for (const path of ['../other/x.txt', '/etc/passwd', 'a\\\\b', 'ok/..%2F..%2Fother', 'ok/%2e%2e/x']) {
      const saved = await api('POST', '/workflows', {
        name: `bad-${randomBytes(3).toString('hex')}`,
        content: yaml([
          'name: Bad',
          'steps:',
          '  - id: a',
          '    prompt: "x"',
          `    storage_write: "${path}"`,
        ]),
      });
      expect({ path, status: saved.status }).toEqual({ path, status: 400 });
      expect(JSON.stringify(saved.body.error)).toContain('STORAGE_PATH_INVALID');
      const read = await api('POST', '/workflows', {
        name: `bad-${randomBytes(3).toString('hex')}`,
        content: yaml(['name: Bad', 'steps:', '  - id: a', `    prompt: "read {storage.${path}}"`]),
      });
      expect({ path, status: read.status }).toEqual({ path, status: 400 });
    }

    // The input decides the path: refused before the run exists.
    const byInput = await api('POST', '/workflows/run', {
      workflow: flow('By Input', [
        '  - id: a',
        '    prompt: "[answer:x]"',
        '    storage_write: "memory/{input.company}/notes.txt"',
      ]),
      input: { company: '../../../other-tenant' },
    });
    expect(byInput.status).toBe(400);
    expect(byInput.body.error).toMatchObject({
      code: 'STORAGE_PATH_INVALID',
      details: [{ field: 'steps[0].storage_write' }],
    });

    // A step's output decides the path: the step fails with the stable kind, nothing is written.
    const byOutput = await waitForRun(
      await startRun({
        workflow: flow('By Output', [
          '  - id: a',
          '    prompt: "[answer:../../escape]"',
          '  - id: b',
          '    depends_on: [a]',
          '    prompt: "[answer:y]"',
          '    storage_write: "notes/{steps.a.output}/x.txt"',
        ]),
      }),
    );
    expect(byOutput.status).toBe('failed');
    expect(byOutput.steps.find((s) => s.step_id === 'b')).toMatchObject({
      status: 'failed',
      error_kind: 'STORAGE_PATH_INVALID',
    });
    expect((await api<ArtifactView[]>('GET', `/runs/${byOutput.run_id}/artifacts`)).body.data).toEqual([]);

    // (A bare `..` never leaves the client: URLs resolve dot segments before sending.)
    for (const name of ['..%2Fx', 'a%5Cb', '.hidden', '%00x', 'x%2F..%2F..%2Fy']) {
      const res = await download(byOutput.run_id, name);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
    }
    const missing = await download(byOutput.run_id, 'no-such-artifact');
    expect([missing.status, JSON.parse(missing.body.toString()).error.code]).toEqual([
      404,
      'ARTIFACT_NOT_FOUND',
    ]);
  });

  it('fails a step whose {storage.PATH} does not exist, naming it, when the step has no default', async () => {
    const run = await waitForRun(
      await startRun({
        workflow: flow('Missing', ['  - id: a', '    prompt: "Use {storage.never/{input.k}.txt}"']),
        input: { k: 'written' },
      }),
    );
    expect(run.status).toBe('failed');
    expect(run.steps[0]).toMatchObject({ status: 'failed', error_kind: 'STORAGE_OBJECT_MISSING' });
    expect(run.steps[0]!.error).toContain("there is no object at 'never/written.txt'");
    expect(tenantA).toMatch(/^store-a-/);
  });

  if (backend === 's3') {
    it('fails a run whose on_complete object cannot be stored, saying why; storage_path stays unset', async () => {
      const port = s3!.port;
      await s3!.stop();
      try {
        const run = await waitForRun(
          await startRun({
            workflow: yaml([
              'name: Outage',
              'runtime: simulated',
              'steps:',
              '  - id: a',
              '    prompt: "hello"',
              'on_complete:',
              '  storage_path: "results/{run_id}.json"',
            ]),
          }),
        );
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(
          /^on_complete.storage_path 'results\/.+\.json' could not be saved: storage put failed after 3 tries/,
        );
        expect(run.error).toContain('(ECONNREFUSED) (STORAGE_ERROR)');
        // The tenant learns what failed, never where the store is.
        expect(run.error).not.toContain('127.0.0.1');
        expect(run.storage_path).toBeNull();
        expect(run.steps[0]!.status).toBe('completed');
        const health = (await (await fetch(`${sc.stack.urlOf('orchestrator')}/health`)).json()) as {
          data: Record<string, unknown>;
        };
        expect(health.data).toMatchObject({ status: 'degraded', storage: false });
      } finally {
        await s3!.run(port);
      }
    });
  }
});
