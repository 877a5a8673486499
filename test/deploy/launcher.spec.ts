import * as http from 'node:http';
import * as path from 'node:path';
import type { Doc } from './support/deploy-files.util';
import {
  ephemeralPortRange,
  findFreeBasePort,
  portOf,
  serviceNames,
  stackPortCount,
  startStack,
  type Stack,
} from '../../scripts/lib/stack.cjs';

// The launcher (scripts/lib/stack.cjs) runs a stand-in app that follows the same process
// contract as the real ones (PORT, /health/ready, JSON logs, SIGTERM → exit 0), so these tests
// check the launcher itself — ports, environment, readiness, restart, shutdown — without a build.
// Explicit URLs: nothing is probed or embedded, and migrations are off (the fixture has no DB).
const FAKE_APP = path.join(__dirname, 'fixtures', 'fake-app.cjs');
const URLS = {
  natsUrl: 'nats://127.0.0.1:4222',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/launcher_test',
};

function getJson(url: string): Promise<Doc> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

describe('startStack (launcher)', () => {
  let stack: Stack | undefined;
  const lines: { service: string; line: string }[] = [];

  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    lines.length = 0;
  });

  async function start(extra: Parameters<typeof startStack>[0] = {}): Promise<Stack> {
    stack = await startStack({
      ...URLS,
      basePort: await findFreeBasePort(
        stackPortCount({ executors: extra.executors, orchestrators: extra.orchestrators }),
      ),
      natsNamespace: 'launcher_test',
      migrate: false,
      entry: () => FAKE_APP,
      stdio: (line, service) => lines.push({ service, line }),
      ...extra,
    });
    return stack;
  }

  it('lays the services out on P … P+4 and extra executors from P+5', async () => {
    const s = await start({ executors: 3 });
    expect(s.services).toEqual([
      'gateway',
      'orchestrator',
      'executor',
      'executor-2',
      'executor-3',
      'scheduler',
      'notifier',
    ]);
    const expected: Record<string, number> = {
      gateway: 0,
      orchestrator: 1,
      executor: 2,
      scheduler: 3,
      notifier: 4,
      'executor-2': 5,
      'executor-3': 6,
    };
    for (const [name, offset] of Object.entries(expected)) {
      const env = (await getJson(`${s.urlOf(name as never)}/env`)).data;
      expect({ name, port: env.PORT }).toEqual({ name, port: String(s.basePort + offset) });
    }
    expect(s.gatewayUrl).toBe(`http://127.0.0.1:${s.basePort}`);
  });

  it('runs extra orchestrators from P+20, clear of the executors, each its own process with a database', async () => {
    const s = await start({ executors: 3, orchestrators: 3 });
    expect(s.services).toEqual([
      'gateway',
      'orchestrator',
      'orchestrator-2',
      'orchestrator-3',
      'executor',
      'executor-2',
      'executor-3',
      'scheduler',
      'notifier',
    ]);
    const expected: Record<string, number> = {
      orchestrator: 1,
      executor: 2,
      'executor-2': 5,
      'executor-3': 6,
      'orchestrator-2': 20,
      'orchestrator-3': 21,
    };
    const pids = new Set<number>();
    for (const [name, offset] of Object.entries(expected)) {
      const env = (await getJson(`${s.urlOf(name as never)}/env`)).data;
      expect({ name, port: env.PORT }).toEqual({ name, port: String(s.basePort + offset) });
      pids.add(env.pid);
      // Replicas are the same app: orchestrators get the database, executors never do.
      expect({ name, db: env.DATABASE_URL }).toEqual({
        name,
        db: name.startsWith('orchestrator') ? URLS.databaseUrl : undefined,
      });
    }
    // Distinct processes, hence distinct instance ids (`orchestrator@<host>:<pid>`).
    expect(pids.size).toBe(Object.keys(expected).length);
    expect(await s.kill('orchestrator-2')).toEqual({ code: null, signal: 'SIGKILL' });
    await s.start('orchestrator-2');
    expect((await getJson(`${s.urlOf('orchestrator-2')}/env`)).data.PORT).toBe(String(s.basePort + 20));
  });

  it('picks base ports below the ephemeral range, where no outgoing connection can take them', async () => {
    const [ephemeralLow] = ephemeralPortRange();
    for (let i = 0; i < 20; i++) {
      const base = await findFreeBasePort(30);
      expect(base).toBeGreaterThanOrEqual(10000);
      expect(base + 30).toBeLessThanOrEqual(ephemeralLow);
    }
  });

  it('plans ports and names without collisions, and refuses counts outside the layout', () => {
    expect(stackPortCount()).toBe(5);
    expect(stackPortCount({ executors: 3 })).toBe(7);
    expect(stackPortCount({ executors: 16 })).toBe(20);
    expect(stackPortCount({ orchestrators: 2 })).toBe(21);
    expect(stackPortCount({ executors: 16, orchestrators: 4 })).toBe(23);
    const names = serviceNames({ executors: 16, orchestrators: 4 });
    const ports = names.map((name) => portOf(name, 9000));
    expect(new Set(ports).size).toBe(names.length);
    expect(Math.max(...ports)).toBe(9022);
    expect(portOf('executor-16', 9000)).toBe(9019);
    expect(portOf('orchestrator-2', 9000)).toBe(9020);
    expect(serviceNames({ services: ['gateway', 'executor'], orchestrators: 3 })).toEqual([
      'gateway',
      'executor',
    ]);
    expect(() => serviceNames({ executors: 17 })).toThrow(
      'executors must be an integer from 1 to 16, got 17',
    );
    expect(() => serviceNames({ orchestrators: 0 })).toThrow(
      'orchestrators must be a positive integer, got 0',
    );
    expect(() => portOf('executor-17', 9000)).toThrow('at most 16 executors per stack');
    expect(() => portOf('orchestrator-1', 9000)).toThrow('extra orchestrators are numbered from 2');
    expect(() => portOf('scheduler-2' as never, 9000)).toThrow("unknown service 'scheduler-2'");
  });

  it('hands every service its URLs, namespace and extra env; the executor gets no database', async () => {
    const s = await start({ services: ['gateway', 'executor'], env: { FAKE_EXTRA: 'yes', PORT: 1 } });
    const gateway = (await getJson(`${s.urlOf('gateway')}/env`)).data;
    expect(gateway).toEqual(
      expect.objectContaining({
        NATS_URL: URLS.natsUrl,
        NATS_NAMESPACE: 'launcher_test',
        DATABASE_URL: URLS.databaseUrl,
        FAKE_EXTRA: 'yes',
        PORT: String(s.basePort),
      }),
    );
    expect(gateway.WORKFLOWS_DIR).toMatch(/workflows$/);
    const executor = (await getJson(`${s.urlOf('executor')}/env`)).data;
    expect(executor.DATABASE_URL).toBeUndefined();
    expect(executor.NATS_NAMESPACE).toBe('launcher_test');
  });

  it('waits for /health/ready before it resolves', async () => {
    const s = await start({ services: ['gateway'], env: { FAKE_READY_AFTER_MS: 1500 } });
    // The fixture answers 503 until its delay has passed; resolving means it saw a 200.
    const response = await new Promise<number>((resolve) =>
      http.get(`${s.urlOf('gateway')}/health/ready`, (r) => resolve(r.statusCode ?? 0)),
    );
    expect(response).toBe(200);
  });

  it('fails with the last log lines when a service dies during startup, leaving nothing running', async () => {
    const basePort = await findFreeBasePort();
    let error: Error | undefined;
    try {
      await start({ basePort, env: { FAKE_CRASH: 'orchestrator' } });
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toContain('orchestrator exited (code 3) before it was ready');
    expect(error?.message).toContain('cannot start: FAKE_CRASH names this service');
    stack = undefined;
    // Everything the launcher started was stopped: the ports are free again.
    const again = await startStack({
      ...URLS,
      basePort,
      migrate: false,
      entry: () => FAKE_APP,
      stdio: 'ignore',
      services: ['gateway'],
    });
    await again.stop();
  });

  it('restarts a killed service on the same port', async () => {
    const s = await start({ services: ['gateway', 'orchestrator'] });
    const before = (await getJson(`${s.urlOf('orchestrator')}/env`)).data.pid;
    expect(await s.kill('orchestrator')).toEqual({ code: null, signal: 'SIGKILL' });
    await s.start('orchestrator');
    const after = (await getJson(`${s.urlOf('orchestrator')}/env`)).data.pid;
    expect(after).not.toBe(before);
    expect(s.processes.get('orchestrator')?.pid).toBe(after);
  });

  it('stops every service with SIGTERM and lets it drain', async () => {
    const s = await start({ services: ['gateway', 'executor'] });
    const children = [...s.processes.values()];
    await s.stop();
    for (const child of children)
      expect({ code: child.exitCode, signal: child.signalCode }).toEqual({ code: 0, signal: null });
    for (const service of ['gateway', 'executor']) {
      expect(lines).toEqual(
        expect.arrayContaining([{ service, line: expect.stringContaining('SIGTERM: draining') }]),
      );
    }
  });

  it('refuses to start on ports that are taken', async () => {
    const s = await start({ services: ['gateway'] });
    await expect(
      startStack({ ...URLS, basePort: s.basePort, migrate: false, entry: () => FAKE_APP, stdio: 'ignore' }),
    ).rejects.toThrow(`port ${s.basePort} (for gateway) is already in use`);
  });
});
